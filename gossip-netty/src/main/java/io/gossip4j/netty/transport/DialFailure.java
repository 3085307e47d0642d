package io.gossip4j.netty.transport;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;

/** Says in a few words why a connection attempt failed, for people reading a join's failure. */
final class DialFailure {
  private DialFailure() {}

  static String describe(Throwable why) {
    for (Throwable t = why; t != null; t = t.getCause()) {
      if (t instanceof ConnectTimeoutException) {
        return "timed out";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof PortUnreachableException) {
        return "port unreachable";
      }
      if (t instanceof ConnectException) {
        // Netty's native transport reports refusals as its own ConnectException subclasses.
        String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return message.contains("refused") ? "connection refused" : t.getMessage();
      }
    }
    return why.toString();
  }
}
