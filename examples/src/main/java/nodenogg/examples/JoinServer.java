package nodenogg.examples;

import java.io.PrintStream;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.Subscription;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.client.HocuspocusTransport;
import nodenogg.ymicrocosm.YMicrocosm;

/**
 * Joins a microcosm on a running Hocuspocus server (ours from {@code ./microcosm serve}, the
 * nodenogg.in server, or any {@code @hocuspocus/server}), adds a note, and prints every change it
 * sees live — including notes other people (e.g. the web app) add.
 *
 * <pre>
 *   java nodenogg.examples.JoinServer ws://localhost:8787/sync my-microcosm [token] [seconds]
 * </pre>
 *
 * The token defaults to {@code default} (what the web app sends); seconds 0 (default) runs until
 * Ctrl-C.
 */
public final class JoinServer implements AutoCloseable {
  private final YMicrocosm microcosm;
  private final HocuspocusClient client;
  private final Subscription attachment;
  private final Identity me;
  private volatile HocuspocusDocument document;

  private JoinServer(URI url, String microcosmId, String token, String nickname, PrintStream out) {
    me = Identity.create(nickname);
    microcosm = YMicrocosm.inMemory(microcosmId);
    microcosm.subscribe(
        e ->
            out.println(
                "change: "
                    + e.kind()
                    + " "
                    + e.location()
                    + (e.local() ? " (mine)" : " (remote)")
                    + (e.entity() != null ? " " + describe(e.entity()) : "")));
    client = HocuspocusClient.connect(url);
    // the microcosm's Doc and awareness travel through the Hocuspocus client
    attachment = microcosm.attach(HocuspocusTransport.over(client, token, d -> document = d));
    microcosm.identify(me.id());
    microcosm.join(me);
  }

  private static String describe(Entity e) {
    return e.isType(nodenogg.microcosm.EntityType.HTML)
        ? "note " + e.dataAs(HtmlData.class).content()
        : e.type().toString();
  }

  /** Connects and waits (up to 30 s) for the first sync with the server. */
  public static JoinServer join(
      URI url, String microcosmId, String token, String nickname, PrintStream out)
      throws Exception {
    JoinServer j = new JoinServer(url, microcosmId, token, nickname, out);
    try {
      j.document.whenSynced().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      j.close();
      throw new IllegalStateException(
          "could not sync '"
              + microcosmId
              + "' with "
              + url
              + " (is the server running, is the token right?): "
              + e,
          e);
    }
    out.println("joined " + microcosmId + " on " + url + " as " + me(j));
    return j;
  }

  private static String me(JoinServer j) {
    return j.me.nickname() != null ? j.me.nickname() : j.me.id();
  }

  /** Adds a note to our own collection. */
  public Entity addNote(String html) {
    return microcosm.create(HtmlData.note(0, 0, html));
  }

  public YMicrocosm microcosm() {
    return microcosm;
  }

  /** Changes sent to the server and not yet acknowledged. */
  public int unacknowledged() {
    return document.unsyncedChanges();
  }

  @Override
  public void close() {
    attachment.close();
    microcosm.close();
    client.close();
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: JoinServer <ws://host:port/sync> <microcosm-id> [token] [seconds]");
      System.exit(2);
    }
    String token = args.length > 2 ? args[2] : "default";
    long seconds = args.length > 3 ? Long.parseLong(args[3]) : 0;
    try (JoinServer j =
        join(URI.create(args[0]), args[1], token, "JoinServer (Java)", System.out)) {
      j.addNote("<p>Hello from a JVM peer</p>");
      if (seconds > 0) {
        Thread.sleep(seconds * 1000);
      } else {
        Thread.currentThread().join();
      }
    }
  }
}
