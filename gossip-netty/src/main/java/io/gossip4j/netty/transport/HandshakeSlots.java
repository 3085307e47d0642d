package io.gossip4j.netty.transport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts accepted connections whose TLS handshake has not finished, per remote address and in
 * total. A handshake costs the acceptor a key exchange and a certificate check before it knows
 * who is calling, and an unfinished one holds a socket until the handshake timeout: without a
 * cap, anyone who can open sockets can exhaust both. Runs on the node's event loop only.
 */
final class HandshakeSlots {
  private final int maxTotal;
  private final int maxPerAddress;
  private final Map<InetAddress, Integer> byAddress = new HashMap<>();
  private int total;

  HandshakeSlots(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  /** Takes a slot for a handshake from {@code address}; false when a cap is reached. */
  boolean tryAcquire(InetAddress address) {
    int fromAddress = byAddress.getOrDefault(address, 0);
    if (total >= maxTotal || fromAddress >= maxPerAddress) {
      return false;
    }
    byAddress.put(address, fromAddress + 1);
    total++;
    return true;
  }

  /** Gives back a slot taken for {@code address}: the handshake finished or failed. */
  void release(InetAddress address) {
    Integer fromAddress = byAddress.get(address);
    if (fromAddress == null) {
      return;
    }
    if (fromAddress <= 1) {
      byAddress.remove(address);
    } else {
      byAddress.put(address, fromAddress - 1);
    }
    total--;
  }

  /** Handshakes in progress. */
  int total() {
    return total;
  }

  /** Remote addresses with a handshake in progress: never more than the total cap. */
  int addresses() {
    return byAddress.size();
  }
}
