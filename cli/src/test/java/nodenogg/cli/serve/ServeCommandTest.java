package nodenogg.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nodenogg.cli.UsageException;
import nodenogg.cli.log.LogConfig;
import nodenogg.sync.server.internal.Telemetry;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Options, flags and the nodenogg.in server's environment (v0.3.40 {@code
 * products/yjs-sync-server}), one variable at a time. What each one does on a running server:
 * {@code ServeEnvironmentProcessTest}.
 */
class ServeCommandTest {

  private static ServeCommand.Options env(String name, String value) {
    return ServeCommand.parse(new String[0], Map.of(name, value));
  }

  @Test
  void defaultsMatchTheNodenogginServerWhereItHasOne() {
    ServeCommand.Options o = ServeCommand.parse(new String[0], Map.of());
    assertEquals(8787, o.port);
    assertEquals("0.0.0.0", o.host);
    assertEquals(List.of("https://nodenogg.in"), o.corsOrigins, "ALLOWED_DOMAINS default");
    assertEquals(List.of(), o.origins, "no origin allow-list unless --allowed-origins");
    assertEquals(0, o.throttleConnections, "v0.3.40 parses THROTTLE_* but installs no throttle");
    assertNull(o.activityLog);
    assertEquals(Level.INFO, o.logLevel);
    assertEquals(LogConfig.Format.TEXT, o.logFormat);
  }

  @Test
  void port() {
    assertEquals(9999, env("PORT", "9999").port);
    assertEquals(8787, env("PORT", "").port, "empty means unset ('' || '8787')");
    assertThrows(UsageException.class, () -> env("PORT", "abc"));
    assertThrows(UsageException.class, () -> env("PORT", "70000"));
    assertEquals(
        1234,
        ServeCommand.parse(new String[] {"--port", "1234"}, Map.of("PORT", "9999")).port,
        "flag wins");
  }

  @Test
  void host() {
    assertEquals("127.0.0.1", env("HOST", "127.0.0.1").host);
    assertEquals("0.0.0.0", env("HOST", " ").host);
    assertEquals(
        "::1",
        ServeCommand.parse(new String[] {"--host", "::1"}, Map.of("HOST", "127.0.0.1")).host);
  }

  @Test
  void allowedDomainsIsTheCorsListNotAnAllowList() {
    ServeCommand.Options o =
        env("ALLOWED_DOMAINS", "https://nodenogg.in, not a url,http://localhost:5173,nodenogg.in");
    assertEquals(
        List.of("https://nodenogg.in", "http://localhost:5173"),
        o.corsOrigins,
        "entries that are not URLs dropped");
    assertEquals(List.of(), o.origins, "ALLOWED_DOMAINS never refuses a connection");
    assertEquals(
        List.of("https://nodenogg.in"),
        env("ALLOWED_DOMAINS", "").corsOrigins,
        "empty means the default");
    ServeCommand.Options both =
        ServeCommand.parse(
            new String[] {
              "--allowed-origins", "https://a.example", "--cors-origins", "https://b.example"
            },
            Map.of("ALLOWED_DOMAINS", "https://c.example"));
    assertEquals(List.of("https://a.example"), both.origins);
    assertEquals(
        List.of("https://b.example"), both.corsOrigins, "the flag wins over ALLOWED_DOMAINS");
  }

  @Test
  void throttleConnections() {
    assertEquals(15, env("THROTTLE_CONNECTIONS", "15").throttleConnections);
    assertEquals(0, env("THROTTLE_CONNECTIONS", "0").throttleConnections, "0 turns it off");
    assertEquals(0, env("THROTTLE_CONNECTIONS", "").throttleConnections);
    assertThrows(UsageException.class, () -> env("THROTTLE_CONNECTIONS", "many"));
    assertEquals(
        3,
        ServeCommand.parse(
                new String[] {"--throttle-connections", "3"}, Map.of("THROTTLE_CONNECTIONS", "15"))
            .throttleConnections);
  }

  @Test
  void throttleBanTime() {
    assertEquals(
        5,
        ServeCommand.parse(new String[0], Map.of()).throttleBanMinutes,
        "the reference's default");
    assertEquals(1, env("THROTTLE_BAN_TIME", "1").throttleBanMinutes);
    assertThrows(UsageException.class, () -> env("THROTTLE_BAN_TIME", "-1"));
    assertEquals(
        2,
        ServeCommand.parse(
                new String[] {"--throttle-ban-time", "2"}, Map.of("THROTTLE_BAN_TIME", "9"))
            .throttleBanMinutes);
  }

  @Test
  void log() {
    assertEquals(Boolean.TRUE, env("LOG", "true").activityLog);
    assertEquals(Boolean.FALSE, env("LOG", "false").activityLog);
    assertEquals(
        Boolean.FALSE,
        env("LOG", "1").activityLog,
        "only the string 'true' turns it on, as in the reference");
    LogConfig off = ServeCommand.logConfig(env("LOG", "false"), System.err);
    assertEquals(
        Level.WARN,
        off.levelOf(Telemetry.ACTIVITY_LOGGER),
        "connection lines off, refusals still shown");
    assertEquals(
        Level.INFO, off.levelOf(Telemetry.REFUSAL_LOGGER), "refusals (WARN) are still written");
    assertEquals(Level.INFO, off.levelOf("nodenogg.sync.server.SyncServer"));
    LogConfig on =
        ServeCommand.logConfig(
            ServeCommand.parse(new String[] {"--log-level", "warn"}, Map.of("LOG", "true")),
            System.err);
    assertEquals(
        Level.INFO,
        on.levelOf(Telemetry.ACTIVITY_LOGGER),
        "LOG=true keeps connection lines under --log-level warn");
    assertEquals(Level.WARN, on.levelOf("nodenogg.sync.server.SyncServer"));
  }

  @Test
  void postgresAndInstanceId() {
    ServeCommand.Options o =
        ServeCommand.parse(
            new String[] {"--postgres", "jdbc:postgresql://db:5432/nn", "--instance-id", "web-1"},
            Map.of());
    assertEquals("jdbc:postgresql://db:5432/nn", o.postgres);
    assertEquals("web-1", o.instanceId);
    assertEquals(null, ServeCommand.parse(new String[0], Map.of()).postgres, "SQLite unless asked");
    assertThrows(
        UsageException.class,
        () -> ServeCommand.parse(new String[] {"--postgres", "postgres://db/nn"}, Map.of()));
    assertThrows(
        UsageException.class,
        () ->
            ServeCommand.parse(
                new String[] {"--postgres", "jdbc:postgresql://db/nn", "--memory"}, Map.of()));
    assertThrows(
        UsageException.class,
        () -> ServeCommand.parse(new String[] {"--instance-id", ""}, Map.of()));
    assertEquals(
        "redis://10.0.0.5:6380",
        ServeCommand.parse(new String[] {"--redis", "redis://10.0.0.5:6380"}, Map.of())
            .redis
            .toString());
    assertEquals(
        null, ServeCommand.parse(new String[0], Map.of()).redis, "without --redis nothing changes");
    assertThrows(
        UsageException.class,
        () -> ServeCommand.parse(new String[] {"--redis", "10.0.0.5:6380"}, Map.of()));
  }

  @Test
  void logFlags() {
    ServeCommand.Options o =
        ServeCommand.parse(new String[] {"--log-level", "DEBUG", "--log-format", "json"}, Map.of());
    assertEquals(Level.DEBUG, o.logLevel);
    assertEquals(LogConfig.Format.JSON, o.logFormat);
    assertThrows(
        UsageException.class,
        () -> ServeCommand.parse(new String[] {"--log-level", "loud"}, Map.of()));
    assertThrows(
        UsageException.class,
        () -> ServeCommand.parse(new String[] {"--log-format", "xml"}, Map.of()));
  }

  @Test
  void otherFlags() {
    ServeCommand.Options o =
        ServeCommand.parse(
            new String[] {
              "--data",
              "/tmp/x",
              "--token",
              "t",
              "--readonly-token",
              "r",
              "--admin-token",
              "a",
              "--signal-port",
              "4444",
              "--tracker-port",
              "8000"
            },
            Map.of());
    assertEquals(Path.of("/tmp/x"), o.data);
    assertEquals("t", o.token);
    assertEquals("r", o.readOnlyToken);
    assertEquals("a", o.adminToken);
    assertEquals(4444, o.signalPort);
    assertEquals(8000, o.trackerPort);
    assertTrue(ServeCommand.parse(new String[] {"--memory"}, Map.of()).memory);
  }

  @Test
  void inspectorIsOffWhenDocumentsNeedATokenButNoAdminTokenGuardsIt() {
    assertTrue(ServeCommand.inspectorOn(ServeCommand.parse(new String[0], Map.of())));
    assertTrue(
        !ServeCommand.inspectorOn(ServeCommand.parse(new String[] {"--token", "t"}, Map.of())));
    assertTrue(
        ServeCommand.inspectorOn(
            ServeCommand.parse(new String[] {"--token", "t", "--admin-token", "a"}, Map.of())));
  }

  @Test
  void badUsageIsAUsageError() {
    assertThrows(
        UsageException.class, () -> ServeCommand.parse(new String[] {"--port", "99999"}, Map.of()));
    assertThrows(UsageException.class, () -> ServeCommand.parse(new String[] {"--port"}, Map.of()));
    assertThrows(
        UsageException.class,
        () -> ServeCommand.parse(new String[] {"--tracker-port", "x"}, Map.of()));
    assertThrows(
        UsageException.class,
        () -> ServeCommand.parse(new String[] {"--frobnicate", "1"}, Map.of()));
  }

  private static String refused(String[] args, Map<String, String> env) {
    return assertThrows(UsageException.class, () -> ServeCommand.parse(args, env)).getMessage();
  }

  @Test
  void configurationMistakesRefuseToStartAndSayWhatToWrite() {
    // issue 12 finding 6: an unset variable, an origin without scheme, a wildcard, an empty list
    String emptyToken = refused(new String[] {"--token", ""}, Map.of());
    assertTrue(
        emptyToken.contains("--token is empty") && emptyToken.contains("leave --token out"),
        emptyToken);
    assertTrue(
        refused(new String[] {"--readonly-token", " "}, Map.of())
            .contains("--readonly-token is empty"));
    assertTrue(
        refused(new String[] {"--token", "t", "--readonly-token", "t"}, Map.of())
            .contains("must differ"));
    String noScheme = refused(new String[] {"--allowed-origins", "nodenogg.in"}, Map.of());
    assertTrue(
        noScheme.contains("'nodenogg.in' is not an origin")
            && noScheme.contains("https://nodenogg.in"),
        noScheme);
    String wildcard =
        refused(
            new String[] {"--allowed-origins", "https://nodenogg.in,https://*.nodenogg.in"},
            Map.of());
    assertTrue(wildcard.contains("wildcards are not supported"), wildcard);
    assertTrue(refused(new String[] {"--allowed-origins", "*"}, Map.of()).contains("wildcards"));
    String empty = refused(new String[] {"--allowed-origins", " , "}, Map.of());
    assertTrue(
        empty.contains("--allowed-origins is empty") && empty.contains("leave it out"), empty);
    String path = refused(new String[] {"--allowed-origins", "https://nodenogg.in/app"}, Map.of());
    assertTrue(path.contains("write https://nodenogg.in"), path);
    assertTrue(
        refused(new String[] {"--admin-token", ""}, Map.of()).contains("--admin-token is empty"));

    ServeCommand.Options ok =
        ServeCommand.parse(
            new String[] {
              "--allowed-origins", "https://nodenogg.in, http://localhost:5173/", "--token", "t"
            },
            Map.of());
    assertEquals(List.of("https://nodenogg.in", "http://localhost:5173/"), ok.origins);
    assertEquals(
        null, ServeCommand.parse(new String[0], Map.of()).token, "no --token: no token, as before");
  }
}
