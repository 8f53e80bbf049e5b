package dev.dialtone.cli.drill;

import dev.dialtone.cli.controlplane.ExtendableAdminVerb;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.GetDrillReportRequest;
import dev.dialtone.proto.v1.GetDrillReportResponse;
import dev.dialtone.proto.v1.ReportFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dialtone drill report RUN-ID [--format json|markdown|html] [--out FILE]}. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Prints (or writes) a drill run's report: JSON, Markdown, or a self-contained HTML page.")
public final class ReportCommand extends ExtendableAdminVerb<GetDrillReportResponse> {
  /** The report's formats. */
  public enum Format { json, markdown, html }

  @Parameters(index = "0", paramLabel = "RUN-ID", description = "The run.")
  String runId;

  @Option(names = "--format", defaultValue = "json", description = "json, markdown or html (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the report here instead of printing it.")
  Path out;

  @Override
  protected GetDrillReportResponse call(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    ReportFormat wanted = switch (format) {
      case json -> ReportFormat.REPORT_FORMAT_JSON;
      case markdown -> ReportFormat.REPORT_FORMAT_MARKDOWN;
      case html -> ReportFormat.REPORT_FORMAT_HTML;
    };
    return admin.getDrillReport(GetDrillReportRequest.newBuilder().setRunId(runId).setFormat(wanted).build());
  }

  @Override
  protected String render(GetDrillReportResponse r) {
    if (out == null) {
      return r.getBody();
    }
    try {
      Files.writeString(out, r.getBody(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    return "wrote " + out + " (" + r.getContentType() + ", " + DrillCommand.line(r.getRun()) + ")";
  }
}
