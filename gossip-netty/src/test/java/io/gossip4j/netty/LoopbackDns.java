package io.gossip4j.netty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A name server on loopback for tests: answers A, AAAA, SRV and TXT queries from records added
 * here, NXDOMAIN for names it has none of. One UDP socket, one thread; enough for the JDK's
 * DNS client, nothing more.
 */
final class LoopbackDns implements AutoCloseable {
  static final int A = 1;
  static final int TXT = 16;
  static final int AAAA = 28;
  static final int SRV = 33;

  private record Key(String name, int type) {}

  private final Map<Key, List<byte[]>> records = new ConcurrentHashMap<>();
  private final DatagramSocket socket;
  private final Thread thread;

  LoopbackDns() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "loopback-dns");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  void a(String name, InetAddress address) {
    add(name, address.getAddress().length == 4 ? A : AAAA, address.getAddress());
  }

  void srv(String name, int port, String target) {
    ByteArrayOutputStream rdata = new ByteArrayOutputStream();
    rdata.write(0); // priority
    rdata.write(0);
    rdata.write(0); // weight
    rdata.write(0);
    rdata.write(port >> 8);
    rdata.write(port);
    writeName(rdata, target);
    add(name, SRV, rdata.toByteArray());
  }

  void txt(String name, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    byte[] rdata = new byte[bytes.length + 1];
    rdata[0] = (byte) bytes.length;
    System.arraycopy(bytes, 0, rdata, 1, bytes.length);
    add(name, TXT, rdata);
  }

  private void add(String name, int type, byte[] rdata) {
    records.computeIfAbsent(new Key(canonical(name), type), k -> new ArrayList<>()).add(rdata);
  }

  private static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private static void writeName(ByteArrayOutputStream out, String name) {
    for (String label : canonical(name).split("\\.")) {
      byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
      out.write(bytes.length);
      out.write(bytes, 0, bytes.length);
    }
    out.write(0);
  }

  private void serve() {
    byte[] buffer = new byte[512];
    while (!socket.isClosed()) {
      DatagramPacket query = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(query);
        byte[] answer = answer(ByteBuffer.wrap(query.getData(), 0, query.getLength()));
        socket.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
      } catch (IOException | RuntimeException e) {
        // closed, or a query this server does not understand: no answer
      }
    }
  }

  private byte[] answer(ByteBuffer query) {
    int id = query.getShort() & 0xffff;
    query.position(12);
    int questionStart = 12;
    StringBuilder name = new StringBuilder();
    int length;
    while ((length = query.get() & 0xff) != 0) {
      byte[] label = new byte[length];
      query.get(label);
      name.append(name.length() == 0 ? "" : ".").append(new String(label, StandardCharsets.US_ASCII));
    }
    int type = query.getShort() & 0xffff;
    query.getShort(); // class
    int questionEnd = query.position();
    List<byte[]> found = records.getOrDefault(new Key(canonical(name.toString()), type), List.of());
    boolean nameKnown = records.keySet().stream()
        .anyMatch(k -> k.name().equals(canonical(name.toString())));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer header = ByteBuffer.allocate(12);
    header.putShort((short) id);
    header.putShort((short) (0x8180 | (nameKnown ? 0 : 3))); // response, RD, RA; NXDOMAIN
    header.putShort((short) 1);
    header.putShort((short) found.size());
    header.putShort((short) 0);
    header.putShort((short) 0);
    out.write(header.array(), 0, 12);
    out.write(query.array(), query.arrayOffset() + questionStart, questionEnd - questionStart);
    for (byte[] rdata : found) {
      ByteBuffer rr = ByteBuffer.allocate(12 + rdata.length);
      rr.putShort((short) 0xc00c); // the question's name
      rr.putShort((short) type);
      rr.putShort((short) 1); // IN
      rr.putInt(60);
      rr.putShort((short) rdata.length);
      rr.put(rdata);
      out.write(rr.array(), 0, rr.capacity());
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    socket.close();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
