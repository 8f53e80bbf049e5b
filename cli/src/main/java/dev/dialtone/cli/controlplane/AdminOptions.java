package dev.dialtone.cli.controlplane;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the admin API is, how to prove who you are, and how to print answers; shared by every operator verb. */
public final class AdminOptions {
  /** How answers are printed. */
  public enum Output { table, json }

  @Option(names = "--server", defaultValue = "${env:DIALTONE_SERVER:-127.0.0.1:7443}", paramLabel = "HOST:PORT[,...]",
      description = "Control-plane replicas' gRPC addresses, comma-separated (env DIALTONE_SERVER; default:"
          + " ${DEFAULT-VALUE}). With several, the CLI finds the leader itself and waits out an election.")
  String server;

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT",
      description = "table (for humans) or json (for scripts); default: ${DEFAULT-VALUE}.")
  Output output;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
      description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--tls-ca", defaultValue = "${env:DIALTONE_TLS_CA}", paramLabel = "PEM",
      description = "CA bundle the replica's certificate must chain to (env DIALTONE_TLS_CA). Required unless --plaintext.")
  Path tlsCa;

  @Option(names = "--deployment", defaultValue = "${env:DIALTONE_DEPLOYMENT}", paramLabel = "NAME",
      description = "The deployment whose replica you expect: its certificate must be spiffe://<NAME>/replica/<id> "
          + "(env DIALTONE_DEPLOYMENT). Default: your client certificate's; required without one.")
  String deployment;

  @Option(names = "--tls-cert", defaultValue = "${env:DIALTONE_TLS_CERT}", paramLabel = "PEM",
      description = "Your client certificate chain, URI SAN spiffe://<deployment>/operator/<you> (env DIALTONE_TLS_CERT).")
  Path tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:DIALTONE_TLS_KEY}", paramLabel = "PEM",
      description = "The certificate's PKCS#8 private key (env DIALTONE_TLS_KEY).")
  Path tlsKey;

  @Option(names = "--tls-dir", paramLabel = "DIR",
      description = "Shorthand for --tls-ca DIR/ca.crt --tls-cert DIR/client.crt --tls-key DIR/client.key.")
  Path tlsDir;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A bearer token instead of a client certificate (else env DIALTONE_TOKEN); never printed.")
  Path tokenFile;

  @Option(names = "--plaintext", description = "No TLS, for a dev/lab replica started with security.plaintext: true.")
  boolean plaintext;
}
