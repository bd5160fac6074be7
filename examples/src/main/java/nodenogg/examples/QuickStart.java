package nodenogg.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.ymicrocosm.InMemoryLink;
import nodenogg.ymicrocosm.YMicrocosm;

/**
 * The first thing to run: opens an in-memory microcosm, identifies, creates and moves notes, reacts
 * with an emoji, connects two notes, undoes, and prints the collections. A second microcosm linked
 * in memory plays the part of a browser tab on the same microcosm.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests} then {@code java -cp
 * "examples/target/classes:..." nodenogg.examples.QuickStart}, or run it from an IDE.
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Runs the walkthrough, printing to {@code out}; returns the final collections. */
  public static Map<String, Map<String, Entity>> run(PrintStream out) {
    Identity me = Identity.create("Java quick start");
    Identity friend = Identity.create("A friend");
    try (YMicrocosm mine = YMicrocosm.inMemory("quickstart");
        YMicrocosm theirs = YMicrocosm.inMemory("quickstart");
        InMemoryLink link = InMemoryLink.connect(mine, theirs)) {
      mine.subscribe(
          e ->
              out.println(
                  "  event: "
                      + e.kind()
                      + " "
                      + e.location()
                      + (e.local() ? " (mine)" : " (remote)")));

      // 1. identify: edits go to my own collection; join: show up as present
      mine.identify(me.id());
      mine.join(me);
      theirs.identify(friend.id());
      theirs.join(friend);

      // 2. create two notes and move one
      List<Entity> notes =
          mine.create(
              List.of(
                  HtmlData.note(-120, 0, "<p>Hello from the JVM</p>"),
                  HtmlData.note(160, 40, "<p>Second thought</p>").withBackgroundColor("green")));
      Entity hello = notes.get(0);
      Entity second = notes.get(1);
      mine.update(EntityUpdate.move(second.id(), 200, 80));

      // 3. react with an emoji and connect the notes
      mine.create(EmojiData.reaction("❤️", hello.id(), -100, -20));
      mine.create(new ConnectionData(hello.id(), second.id()));

      // 4. the friend adds a note of their own
      theirs.create(HtmlData.note(0, 300, "<p>Hi back!</p>"));
      link.flush();

      // 5. undo my last step (the connection), then look around
      mine.undo();
      link.flush();
      mine.drainEvents();

      out.println(
          "present: "
              + mine.state().joinedCount()
              + " identities, connected="
              + mine.state().connected());
      out.println(
          "my notes: "
              + mine.boxes().stream().filter(e -> e.identityId().equals(me.id())).count()
              + ", all entities: "
              + mine.entities().size());
      out.println(MicrocosmJson.write(mine.collections(), mine.profile()));
      return mine.collections();
    }
  }
}
