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
        "--readonly-token", "r", "--signal-port", "4444"},
        Map.of("PORT", "9999", "ALLOWED_DOMAINS", "https://nodenogg.in, not a url,https://www.nodenogg.in"));
    assertEquals(9999, o.port);
    assertEquals(Path.of("/tmp/x"), o.data);
    assertEquals("t", o.token);
    assertEquals("r", o.readOnlyToken);
    assertEquals(4444, o.signalPort);
    assertEquals(List.of("https://nodenogg.in", "https://www.nodenogg.in"), o.origins, "non-URL entries dropped");
    ServeCommand.Options f = ServeCommand.parse(new String[] {"--port", "1234", "--memory"}, Map.of("PORT", "9999"));
    assertEquals(1234, f.port, "the flag wins over PORT");
    assertTrue(f.memory);
  }

  @Test
  void badUsageIsAUsageError() {
    assertThrows(UsageException.class, () -> ServeCommand.parse(new String[] {"--port", "99999"}, Map.of()));
    assertThrows(UsageException.class, () -> ServeCommand.parse(new String[] {"--port"}, Map.of()));
    assertThrows(UsageException.class, () -> ServeCommand.parse(new String[] {"--frobnicate", "1"}, Map.of()));
    assertThrows(UsageException.class, () -> ServeCommand.parse(new String[0], Map.of("PORT", "abc")));
  }

  private static String refused(String[] args, Map<String, String> env) {
    return assertThrows(UsageException.class, () -> ServeCommand.parse(args, env)).getMessage();
  }

  @Test
  void configurationMistakesRefuseToStartAndSayWhatToWrite() {
    // issue 12 finding 6: an unset variable, an origin without scheme, a wildcard, an empty list
    String emptyToken = refused(new String[] {"--token", ""}, Map.of());
    assertTrue(emptyToken.contains("--token is empty") && emptyToken.contains("leave --token out"), emptyToken);
    assertTrue(refused(new String[] {"--readonly-token", " "}, Map.of()).contains("--readonly-token is empty"));
    assertTrue(refused(new String[] {"--token", "t", "--readonly-token", "t"}, Map.of()).contains("must differ"));
    String noScheme = refused(new String[] {"--allowed-origins", "nodenogg.in"}, Map.of());
    assertTrue(noScheme.contains("'nodenogg.in' is not an origin") && noScheme.contains("https://nodenogg.in"),
        noScheme);
    String wildcard = refused(new String[] {"--allowed-origins", "https://nodenogg.in,https://*.nodenogg.in"},
        Map.of());
    assertTrue(wildcard.contains("wildcards are not supported"), wildcard);
    assertTrue(refused(new String[] {"--allowed-origins", "*"}, Map.of()).contains("wildcards"));
    String empty = refused(new String[] {"--allowed-origins", " , "}, Map.of());
    assertTrue(empty.contains("--allowed-origins is empty") && empty.contains("leave it out"), empty);
    String path = refused(new String[] {"--allowed-origins", "https://nodenogg.in/app"}, Map.of());
    assertTrue(path.contains("write https://nodenogg.in"), path);
    String env = refused(new String[0], Map.of("ALLOWED_DOMAINS", "nodenogg.in"));
    assertTrue(env.contains("ALLOWED_DOMAINS holds no origin"), env);

    ServeCommand.Options ok = ServeCommand.parse(new String[] {"--allowed-origins",
        "https://nodenogg.in, http://localhost:5173/", "--token", "t"}, Map.of());
    assertEquals(List.of("https://nodenogg.in", "http://localhost:5173/"), ok.origins);
    assertEquals(null, ServeCommand.parse(new String[0], Map.of()).token, "no --token: no token, as before");
  }
}
