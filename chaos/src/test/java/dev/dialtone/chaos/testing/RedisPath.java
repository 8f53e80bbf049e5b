package dev.dialtone.chaos.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A real TCP path to break: Redis PING through a proxy port, false on any failure or silence. */
public final class RedisPath {
  private RedisPath() {}

  public static boolean works(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return "+PONG".equals(new String(in.readNBytes(5), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }
}
