package nodenogg.crdt;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DebugReplayTest {
    @Test
    @SuppressWarnings("unchecked")
    void replay() throws Exception {
        String path = System.getProperty("replay.file");
        Assumptions.assumeTrue(path != null, "debug only: -Dreplay.file=... -Dreplay.stop=N");
        int stop = Integer.getInteger("replay.stop", Integer.MAX_VALUE);
        Map<String, Object> in = (Map<String, Object>) Json.parse(Files.readString(new File(path).toPath()));
        List<Doc> docs = new ArrayList<>();
        for (Object c : (List<Object>) in.get("clients")) {
            Doc d = new Doc(new Doc.Options().clientId(((Number) c).longValue()).gc((Boolean) in.get("gc")));
            int di = docs.size();
            d.onUpdate((u, o, t) -> System.out.println("doc" + di + " update " + Hex.encode(u)));
            docs.add(d);
        }
        List<Object> ops = (List<Object>) in.get("ops");
        for (int k = 0; k < ops.size() && k <= stop; k++) {
            Map<String, Object> o = (Map<String, Object>) ops.get(k);
            if (k >= stop - 1) {
                System.out.println("BEFORE op " + k + " " + Json.stringify(o) + "\n doc0 " + ScriptReplay.dumpText(docs.get(0).getText("t")));
            }
            ScriptReplay.apply(docs, o);
        }
        System.out.println("END doc0 " + ScriptReplay.dumpText(docs.get(0).getText("t")));
    }
}
