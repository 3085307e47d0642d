package io.gossip4j.examples;

import io.gossip4j.NodeId;
import io.gossip4j.TopicId;
import io.gossip4j.netty.DnsDiscovery;
import io.gossip4j.netty.Gossip;
import io.gossip4j.netty.GossipEvent;
import io.gossip4j.netty.Identity;
import io.gossip4j.netty.Ticket;
import io.gossip4j.netty.Topic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gossip chat}: a chat room on one topic. Without a ticket it opens a new topic and
 * prints a ticket for others; with one it joins. Typed lines are broadcast.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Chats on a gossip topic. Without TICKET, opens a new topic and prints its ticket; with "
          + "one, joins that topic. Type a line to send it; /peers lists neighbors, /ticket prints "
          + "a ticket through this node (anyone can invite), /quit (or Ctrl-C) leaves. "
          + "Participants are shown as name (node id): each announces its name on joining."
    })
public final class ChatCommand implements Callable<Integer> {
  @Option(names = "--name", required = true, description = "Your name, shown with your lines.")
  String name;

  /** The text of a name announcement: a newcomer's, and the answer to it. */
  private static final String HELLO = "";
  private static final String REPLY = "\u0000";

  /** Names the participants announced or signed their lines with, by node. */
  private final Map<NodeId, String> names = new ConcurrentHashMap<>();
  private final AtomicBoolean announced = new AtomicBoolean();
  private volatile Topic topic;
  private NodeId me;

  @Option(names = "--bind", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
      description = "Where to listen (default: ${DEFAULT-VALUE}; 0.0.0.0:PORT for other machines).")
  String bind;

  @Option(names = "--key", paramLabel = "FILE",
      description = "Key file for a stable node id (created if missing).")
  Path key;

  @Parameters(arity = "0..1", paramLabel = "TICKET", description = "A ticket printed by another chat.")
  String ticket;

  @Option(names = "--topic", paramLabel = "NAME",
      description = "Open (or join) the topic of this name instead of a new random one, so "
          + "chats that find each other through --dns share it.")
  String topicName;

  @Option(names = "--dns", paramLabel = "SRV-NAME",
      description = "Also join through the peers published under this DNS SRV name: one SRV "
          + "record per peer, its A/AAAA records, and a TXT record gossip4j-node=<node id>.")
  String dns;

  @Option(names = "--dns-trust",
      description = "With --dns: a peer without the TXT record is asked for its node id, which "
          + "its TLS certificate proves; whoever answers at a published address is trusted.")
  boolean dnsTrust;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Where typed lines come from; tests replace it. */
  InputStream in = System.in;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Gossip gossip = null;
    Thread quitOnSignal = null;
    try {
      Ticket joining = ticket == null ? null : parseTicket(ticket);
      Identity identity = loadIdentity();
      gossip = start(identity);
      // Ctrl-C or SIGTERM: leave as /quit does, so peers see "quit", not a failure.
      quitOnSignal = new Thread(gossip::close, "gossip-chat-quit");
      Runtime.getRuntime().addShutdownHook(quitOnSignal);
      TopicId topicId = joining != null ? joining.topic()
          : topicName != null ? TopicId.fromName(topicName) : newTopic();
      me = gossip.nodeId();
      Topic topic = gossip.subscribe(topicId, joining != null ? joining.nodes() : List.of(),
          event -> show(out, event));
      this.topic = topic;
      if (!topic.neighbors().isEmpty() && !announced.getAndSet(true)) {
        announce(HELLO); // the first neighbor came before the topic was ours to broadcast on
      }
      if (joining == null) {
        out.println("ticket: " + new Ticket(topicId, List.of(gossip.addr())));
        out.println("waiting for peers; share the ticket above");
      } else {
        out.println("joining topic " + topicId + " as " + gossip.nodeId());
        topic.joined().whenComplete((ok, failure) -> {
          if (failure != null) {
            Throwable why = failure.getCause() != null ? failure.getCause() : failure;
            out.println("* not joined yet: " + why.getMessage() + " (still trying)");
            out.flush();
          }
        });
      }
      if (dns != null) {
        DnsDiscovery discovery = DnsDiscovery.srv(dns);
        topic.join(dnsTrust ? discovery.idsFromCertificates(gossip) : discovery).whenComplete((found, failure) -> {
          out.println(failure == null ? "* " + found.size() + " peer(s) found in DNS under " + dns
              : "* " + (failure.getCause() != null ? failure.getCause() : failure)
                  .getMessage());
          out.flush();
        });
      }
      out.println("lines are signed by their sender's node; unsigned or forged ones never show");
      out.flush();
      readLines(out, topic, new Ticket(topicId, List.of(gossip.addr())));
      topic.close();
      return 0;
    } catch (UserError e) {
      err.println("gossip chat: " + e.getMessage());
      err.flush();
      return 1;
    } finally {
      if (gossip != null) {
        gossip.close();
      }
      if (quitOnSignal != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(quitOnSignal);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running or about to: it closes the node (again, harmlessly).
        }
      }
    }
  }

  private static Ticket parseTicket(String text) {
    try {
      return Ticket.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserError("bad ticket: " + e.getMessage());
    }
  }

  private Identity loadIdentity() {
    if (key == null) {
      return Identity.generate();
    }
    try {
      return Identity.loadOrCreate(key);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new UserError("cannot use key file " + key + ": " + e.getMessage());
    }
  }

  private Gossip start(Identity identity) {
    try {
      return Gossip.builder().identity(identity).bind(HostPort.parse("--bind", bind)).build()
          .start();
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage());
    }
  }

  private static TopicId newTopic() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return TopicId.of(bytes);
  }

  private void readLines(PrintWriter out, Topic topic, Ticket mine) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.equals("/quit")) {
          out.println("* leaving");
          out.flush();
          return;
        } else if (line.equals("/ticket")) {
          // Anyone can invite: the ticket names this node, not the chat's creator.
          out.println("ticket: " + mine);
          out.flush();
        } else if (line.equals("/peers")) {
          List<String> peers = topic.neighbors().stream().map(this::label).toList();
          out.println("* " + peers.size() + " neighbor(s)"
              + (peers.isEmpty() ? "" : ": " + String.join(", ", peers)));
          out.flush();
        } else if (!line.isBlank()) {
          send(out, topic, line);
        }
      }
    } catch (IOException e) {
      throw new UserError("cannot read input: " + e.getMessage(), e);
    }
  }

  private void send(PrintWriter out, Topic topic, String line) {
    try {
      topic.broadcast((name + "\n" + line).getBytes(StandardCharsets.UTF_8));
      out.println(name + " (" + me + ")> " + line); // our own line, as the others see it
      out.flush();
    } catch (IllegalArgumentException e) {
      out.println("* not sent: " + e.getMessage());
      out.flush();
    }
  }

  /**
   * Tells the chat our name: the name, a newline and {@code kind}, which no typed line is
   * (blank lines are not sent, and nobody types a NUL): {@link #HELLO} on joining, which the
   * others answer once with {@link #REPLY}, which nobody answers.
   */
  private void announce(String kind) {
    Topic t = topic;
    if (t != null) {
      try {
        t.broadcast((name + "\n" + kind).getBytes(StandardCharsets.UTF_8));
      } catch (IllegalStateException closed) {
        // leaving: nobody needs our name any more
      }
    }
  }

  /** A participant as {@code name (id)} once its name is known, its id until then. */
  private String label(NodeId id) {
    String known = names.get(id);
    return known == null ? id.toString() : known + " (" + id + ")";
  }

  private void show(PrintWriter out, GossipEvent event) {
    if (event instanceof GossipEvent.Received r) {
      String text = new String(r.payload(), StandardCharsets.UTF_8);
      int newline = text.indexOf('\n');
      String who = newline < 0 ? null : text.substring(0, newline);
      String body = newline < 0 ? text : text.substring(newline + 1);
      // The name is what the sender typed; the signature proves which node wrote the line, so
      // only a verified one is remembered for that node.
      boolean newName = false;
      if (who != null && r.verified()) {
        newName = !who.equals(names.put(r.origin(), who));
      }
      if (who != null && (body.equals(HELLO) || body.equals(REPLY))) {
        // A newcomer's hello gets our name in return, once per newcomer, so it learns every
        // name that was there before it; replies are not answered.
        if (newName) {
          out.println("* " + label(r.origin()) + " is here");
          if (body.equals(HELLO) && !r.late()) {
            announce(REPLY);
          }
        }
      } else {
        String sender = who == null ? r.origin().toString()
            : r.verified() ? label(r.origin()) : who + " (unverified)";
        // A late line came by catch-up, after a partition or on joining: it may be old.
        out.println(sender + "> " + body + (r.late() ? "   [late]" : ""));
      }
    } else if (event instanceof GossipEvent.NeighborUp up) {
      out.println("* neighbor " + label(up.peer()) + " up");
      if (topic != null && !announced.getAndSet(true)) {
        announce(HELLO);
      }
    } else if (event instanceof GossipEvent.NeighborDown down) {
      out.println("* neighbor " + label(down.peer()) + " down ("
          + down.reason().name().toLowerCase() + ")");
    } else if (event instanceof GossipEvent.Gap gap) {
      out.println("* missed " + gap.missed() + " line(s) from " + label(gap.origin())
          + ": older than catch-up reaches back");
    } else if (event instanceof GossipEvent.Lagged lagged) {
      out.println("* missed " + lagged.dropped() + " message(s): this terminal fell behind");
    }
    out.flush();
  }
}
