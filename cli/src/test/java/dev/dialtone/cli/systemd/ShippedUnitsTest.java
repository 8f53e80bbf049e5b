package dev.dialtone.cli.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dialtone.cli.Dialtone;
import dev.dialtone.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The systemd units under deploy/systemd start what the launcher and the lab start, with the same JVM options. */
class ShippedUnitsTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Pattern EXEC = Pattern.compile(
      "(?m)^ExecStart=/usr/bin/java @/opt/dialtone/jvm/([a-z-]+)\\.options"
          + " -XX:\\+AutoCreateSharedArchive -XX:SharedArchiveFile=/var/cache/dialtone/([a-z-]+)\\.jsa -Xlog:cds=off,aot=off -jar /opt/dialtone/dialtone\\.jar ([a-z-]+) --config (/etc/dialtone/[a-z-]+\\.yaml)$");

  @ParameterizedTest
  @ValueSource(strings = {"control-plane", "agent"})
  void theUnitRunsItsRoleWithTheShippedOptionsFileAndOneConfigFile(String role) throws IOException {
    String unit = Files.readString(DEPLOY.resolve("systemd").resolve("dialtone-" + role + ".service"));
    Matcher m = EXEC.matcher(unit);
    assertThat(m.find()).as("ExecStart of dialtone-%s.service", role).isTrue();
    assertThat(m.group(1)).isEqualTo(role);
    assertThat(m.group(2)).as("its class-data archive, in the unit's CacheDirectory").isEqualTo(role);
    assertThat(m.group(3)).isEqualTo(role);
    assertThat(new CommandLine(new Dialtone()).getSubcommands()).containsKey(m.group(3));
    assertThat(DEPLOY.resolve("jvm").resolve(role + ".options")).isRegularFile();
    assertThat(unit).contains("Environment=MALLOC_ARENA_MAX=2", "Restart=on-failure",
        "RestartPreventExitStatus=" + ConfigException.EXIT_CODE, "User=dialtone", "NoNewPrivileges=yes",
        "CacheDirectory=dialtone",
        "ExecStartPre=-/usr/bin/find /var/cache/dialtone -maxdepth 1 -name " + role + ".jsa ! -newer /opt/dialtone/dialtone.jar -delete");
  }

  @ParameterizedTest
  @ValueSource(strings = {"control-plane", "agent", "zookeeper"})
  void theJvmAcceptsEveryOptionInTheFileAsAnArgumentFile(String role) throws Exception {
    Path options = DEPLOY.resolve("jvm").resolve(role + ".options").toAbsolutePath();
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "@" + options, "-version").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("java @%s -version said:%n%s", options, output).isZero();
    assertThat(output).doesNotContain("Unrecognized", "Ignoring option", "warning");
  }

  @ParameterizedTest
  @ValueSource(strings = {"control-plane", "agent"})
  void systemdAcceptsTheUnit(String role, @TempDir Path dir) throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
    Path unit = dir.resolve("dialtone-" + role + ".service");
    Files.copy(DEPLOY.resolve("systemd").resolve(unit.getFileName()), unit);
    Process p = new ProcessBuilder(analyze.toString(), "verify", "--man=no", unit.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    List<String> problems = Stream.of(output.split("\n")).filter(l -> l.contains(unit.getFileName().toString())).toList();
    assertThat(problems).as("systemd-analyze verify %s", unit).isEmpty();
  }
}
