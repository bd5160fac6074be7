package nodenogg.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nodenogg.cli.UsageException;
import org.junit.jupiter.api.Test;

class ServeCommandTest {

  @Test
  void environmentThenFlags() {
    ServeCommand.Options o = ServeCommand.parse(new String[] {"--data", "/tmp/x", "--token", "t",
        "--readonly-token", "r", "--signal-port", "4444", "--tracker-port", "8000"},
        Map.of("PORT", "9999", "ALLOWED_DOMAINS", "https://nodenogg.in, not a url,https://www.nodenogg.in"));
    assertEquals(9999, o.port);
    assertEquals(Path.of("/tmp/x"), o.data);
    assertEquals("t", o.token);
    assertEquals("r", o.readOnlyToken);
    assertEquals(4444, o.signalPort);
    assertEquals(8000, o.trackerPort);
    assertEquals(List.of("https://nodenogg.in", "https://www.nodenogg.in"), o.origins, "non-URL entries dropped");
    ServeCommand.Options f = ServeCommand.parse(new String[] {"--port", "1234", "--memory"}, Map.of("PORT", "9999"));
    assertEquals(1234, f.port, "the flag wins over PORT");
    assertTrue(f.memory);
  }

  @Test
  void badUsageIsAUsageError() {
    assertThrows(UsageException.class, () -> ServeCommand.parse(new String[] {"--port", "99999"}, Map.of()));
    assertThrows(UsageException.class, () -> ServeCommand.parse(new String[] {"--port"}, Map.of()));
    assertThrows(UsageException.class, () -> ServeCommand.parse(new String[] {"--tracker-port", "x"}, Map.of()));
    assertThrows(UsageException.class, () -> ServeCommand.parse(new String[] {"--frobnicate", "1"}, Map.of()));
    assertThrows(UsageException.class, () -> ServeCommand.parse(new String[0], Map.of("PORT", "abc")));
  }
}
