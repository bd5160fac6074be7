package nodenogg.examples;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import nodenogg.microcosm.EntityEvent;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.Identity;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusTransport;
import nodenogg.ymicrocosm.MicrocosmOptions;
import nodenogg.ymicrocosm.YMicrocosm;

/**
 * Joins a live microcosm next to the web app: connects to a Hocuspocus sync server, shows who is
 * present, adds a note, and prints every change other people make.
 *
 * <p>Usage: {@code LiveMicrocosm URL MICROCOSM_ID [SECONDS]}, for example {@code LiveMicrocosm
 * ws://127.0.0.1:8787/sync workshop 60} against {@code ./microcosm serve}.
 */
public final class LiveMicrocosm {
  private LiveMicrocosm() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 2) {
      System.err.println("usage: LiveMicrocosm URL MICROCOSM_ID [SECONDS]");
      System.exit(2);
    }
    long seconds = args.length > 2 ? Long.parseLong(args[2]) : 60;
    Identity me = Identity.create("Java");
    try (HocuspocusClient client = HocuspocusTransport.connect(args[0]);
        YMicrocosm m = open(client, args[1], System.out)) {
      m.identify(me.id());
      m.join(me);
      m.create(HtmlData.note(0, 0, "<p>Hello from Java</p>"));
      TimeUnit.SECONDS.sleep(seconds);
    }
  }

  /**
   * Opens {@code microcosmId} over {@code client}, printing remote changes and presence to {@code
   * out}.
   */
  public static YMicrocosm open(HocuspocusClient client, String microcosmId, PrintStream out) {
    YMicrocosm m =
        YMicrocosm.open(
            microcosmId,
            MicrocosmOptions.defaults()
                .provider(HocuspocusTransport.over(client, HocuspocusTransport.DEFAULT_TOKEN)));
    m.subscribe(
        e -> {
          if (!e.local()) {
            out.println(
                e.kind()
                    + " "
                    + e.location()
                    + (e.kind() == EntityEvent.Kind.DELETE ? "" : " " + e.entity().data()));
          }
        });
    m.onState(s -> out.println("connected=" + s.connected() + ", present=" + s.joinedCount()));
    return m;
  }
}
