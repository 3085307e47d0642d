package io.gossip4j.netty;

import io.gossip4j.NodeId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Peers published in DNS, read with the JDK's own DNS client (JNDI): one SRV record per peer
 * under a service name, the peer's addresses in the A and AAAA records of the SRV target, and
 * its node id in a TXT record of that target:
 *
 * <pre>
 * _gossip4j._tcp.chat.example.  SRV  0 0 7000 node1.chat.example.
 * node1.chat.example.           A    10.0.0.1
 * node1.chat.example.           TXT  "gossip4j-node=&lt;64 hex digits&gt;"
 * </pre>
 *
 * <p>A name with several SRV records gives several peers. A record whose port does not parse, a
 * target whose id does not parse, and a target without addresses are skipped. A target without
 * a TXT record is skipped too (the TLS handshake checks the id, so a peer cannot be dialed
 * without one), unless {@link #idsFromCertificates} has been asked for: then the node asks
 * whoever answers at the target's addresses for its id ({@link Gossip#identify}). A name that
 * does not exist fails with the reason; one that exists without SRV records gives no peers.
 * Each call queries afresh.
 */
public final class DnsDiscovery implements PeerDiscovery {
  /** The TXT record's prefix before the node id. */
  public static final String NODE_ID_PREFIX = "gossip4j-node=";

  private final String service;
  private final InetSocketAddress nameServer;
  private final Gossip identifier;

  private DnsDiscovery(String service, InetSocketAddress nameServer, Gossip identifier) {
    this.service = service;
    this.nameServer = nameServer;
    this.identifier = identifier;
  }

  /** Peers under the SRV records of {@code service}, through the system's name servers. */
  public static DnsDiscovery srv(String service) {
    Objects.requireNonNull(service, "service");
    if (service.isBlank()) {
      throw new IllegalArgumentException("DnsDiscovery: the service name is empty");
    }
    return new DnsDiscovery(service, null, null);
  }

  /** The same, asking this name server (a private resolver, or a test's). */
  public DnsDiscovery nameServer(InetSocketAddress server) {
    return new DnsDiscovery(service, Objects.requireNonNull(server, "server"), identifier);
  }

  /**
   * The same, and a target that publishes no node id is asked for it: {@code node} connects to
   * its addresses in turn and takes the id the first one proves in its TLS handshake. Opt-in,
   * because whoever answers at a published address is then taken for a peer: use it where the
   * DNS zone and the network are trusted (a Kubernetes headless service, say). A target that
   * cannot be identified is skipped; if every target was and none could be, {@link #peers}
   * fails with each one's reason.
   */
  public DnsDiscovery idsFromCertificates(Gossip node) {
    return new DnsDiscovery(service, nameServer, Objects.requireNonNull(node, "node"));
  }

  @Override
  public List<NodeAddr> peers() throws IOException {
    DirContext dns = context();
    try {
      List<NodeAddr> found = new ArrayList<>();
      List<String> unidentified = new ArrayList<>();
      for (String srv : values(dns, service, "SRV")) {
        // priority weight port target
        String[] fields = srv.trim().split("\\s+");
        if (fields.length != 4) {
          continue;
        }
        int port;
        try {
          port = Integer.parseInt(fields[2]);
        } catch (NumberFormatException notAPort) {
          continue;
        }
        String target = fields[3];
        NodeId id = nodeId(dns, target);
        List<InetSocketAddress> addresses = addresses(dns, target, port);
        if (addresses.isEmpty()) {
          continue;
        }
        if (id == null && identifier != null) {
          id = identify(target, addresses, unidentified);
        }
        if (id != null) {
          found.add(new NodeAddr(id, addresses));
        }
      }
      if (found.isEmpty() && !unidentified.isEmpty()) {
        throw new IOException("DNS: no peer under " + service + " could be identified: "
            + String.join("; ", unidentified));
      }
      return found;
    } catch (NameNotFoundException e) {
      throw new IOException("DNS: no records for " + service + " (" + where() + ")", e);
    } catch (NamingException e) {
      throw new IOException("DNS: cannot read " + service + " (" + where() + "): "
          + e.getMessage(), e);
    } finally {
      try {
        dns.close();
      } catch (NamingException ignored) {
        // nothing held open
      }
    }
  }

  /**
   * The id proved by the first of {@code addresses} that answers, or null, with each address's
   * reason added to {@code failures}.
   */
  private NodeId identify(String target, List<InetSocketAddress> addresses,
      List<String> failures) throws IOException {
    GossipConfig config = identifier.config();
    // identify() bounds itself by these two; the margin only guards against a lost completion.
    long limitMs = config.connectTimeout().plus(config.handshakeTimeout()).toMillis() + 5_000;
    for (InetSocketAddress address : addresses) {
      try {
        return identifier.identify(address).get(limitMs, TimeUnit.MILLISECONDS).id();
      } catch (ExecutionException e) {
        failures.add(target + " (" + e.getCause().getMessage() + ")");
      } catch (TimeoutException e) {
        failures.add(target + " (" + address + ": no answer within " + limitMs + " ms)");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("DNS discovery interrupted while identifying " + target);
      } catch (IllegalStateException closed) {
        throw new IOException("DNS: cannot identify " + target + ": " + closed.getMessage(), closed);
      }
    }
    return null;
  }

  private String where() {
    return nameServer == null ? "the system's name servers" : "name server " + nameServer;
  }

  private DirContext context() throws IOException {
    Hashtable<String, String> env = new Hashtable<>();
    env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    if (nameServer != null) {
      String host = nameServer.getAddress() != null
          ? nameServer.getAddress().getHostAddress() : nameServer.getHostString();
      if (host.contains(":")) {
        host = "[" + host + "]";
      }
      env.put(DirContext.PROVIDER_URL, "dns://" + host + ":" + nameServer.getPort());
    }
    try {
      return new InitialDirContext(env);
    } catch (NamingException e) {
      throw new IOException("DNS: no resolver: " + e.getMessage(), e);
    }
  }

  private static NodeId nodeId(DirContext dns, String target) throws NamingException {
    for (String txt : optional(dns, target, "TXT")) {
      String value = txt.startsWith("\"") && txt.endsWith("\"") && txt.length() >= 2
          ? txt.substring(1, txt.length() - 1) : txt;
      if (value.startsWith(NODE_ID_PREFIX)) {
        try {
          return NodeId.fromHex(value.substring(NODE_ID_PREFIX.length()).trim()
              .toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }

  private static List<InetSocketAddress> addresses(DirContext dns, String target, int port)
      throws NamingException {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String type : new String[] {"A", "AAAA"}) {
      for (String ip : optional(dns, target, type)) {
        try {
          // A literal: no lookup happens here.
          addresses.add(new InetSocketAddress(InetAddress.getByName(ip.trim()), port));
        } catch (java.net.UnknownHostException notALiteral) {
          // not an address: skip it
        }
      }
    }
    return addresses;
  }

  /** The records of a type that may well be missing: none is not an error. */
  private static List<String> optional(DirContext dns, String name, String type)
      throws NamingException {
    try {
      return values(dns, name, type);
    } catch (NameNotFoundException e) {
      return List.of();
    }
  }

  private static List<String> values(DirContext dns, String name, String type)
      throws NamingException {
    Attributes attributes = dns.getAttributes(name, new String[] {type});
    Attribute attribute = attributes.get(type);
    List<String> values = new ArrayList<>();
    if (attribute != null) {
      NamingEnumeration<?> all = attribute.getAll();
      while (all.hasMore()) {
        values.add(String.valueOf(all.next()));
      }
    }
    return values;
  }

  @Override
  public String toString() {
    return "DnsDiscovery[" + service + ", " + where()
        + (identifier == null ? "" : ", ids from certificates") + "]";
  }
}
