package nodenogg.crdt.fuzz;

import java.util.List;
import java.util.Map;
import java.util.Random;
import nodenogg.crdt.Doc;
import nodenogg.crdt.YMap;

/** Small random edits used to build the fuzz corpus. */
final class FuzzOps {
  private FuzzOps() {}

  static void randomOp(Random r, Doc d) {
    switch (r.nextInt(7)) {
      case 0:
        d.getMap("map").set("k" + r.nextInt(5), r.nextInt(1000) - 500);
        break;
      case 1:
        d.getMap("map").set("o" + r.nextInt(3), Map.of("a", List.of(1, 0.5, "s"), "b", true));
        break;
      case 2:
        {
          YMap m = new YMap();
          d.getMap("map").set("n" + r.nextInt(3), m);
          m.set("x", "y" + r.nextInt(9));
          break;
        }
      case 3:
        d.getArray("array")
            .insert(
                Math.min(r.nextInt(4), d.getArray("array").length()),
                List.of(r.nextInt(9), "v", new byte[] {1, 2}));
        break;
      case 4:
        if (d.getArray("array").length() > 0) d.getArray("array").delete(0, 1);
        break;
      case 5:
        d.getText("text").insert(Math.min(r.nextInt(6), d.getText("text").length()), "ab😀c");
        break;
      default:
        {
          int len = d.getText("text").length();
          if (len > 2) d.getText("text").format(0, 2, Map.of("bold", true));
          else d.getText("text").insert(0, "zz");
        }
    }
  }
}
