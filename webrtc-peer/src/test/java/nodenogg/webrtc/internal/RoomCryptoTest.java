package nodenogg.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The room password against y-webrtc 10.3.0's own crypto.js (WebCrypto in Node 20): the same PBKDF2
 * key (compared raw), what Java seals y-webrtc opens and the reverse, for bytes and for signalling
 * messages (lib0 writeAny), and nothing opens under another password.
 */
class RoomCryptoTest {
  private static final Base64.Encoder B64 = Base64.getEncoder();

  static File jsDir() {
    String dir = System.getProperty("nodenogg.js.dir");
    Assumptions.assumeTrue(dir != null, "nodenogg.js.dir is not set (run through Maven)");
    File js = new File(dir);
    Assumptions.assumeTrue(
        new File(js, "node_modules/y-webrtc").isDirectory(), "js/node_modules is not installed");
    Assumptions.assumeTrue(
        new File("/usr/bin/node").canExecute(), "node is not installed at /usr/bin/node");
    return js;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> oracle(Map<String, Object> input) throws Exception {
    File js = jsDir();
    Process p =
        new ProcessBuilder("/usr/bin/node", new File(js, "webrtc/crypto-oracle.mjs").getPath())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    p.getOutputStream().write(Json.stringify(input).getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("crypto oracle timed out");
    }
    assertEquals(0, p.exitValue(), "crypto oracle failed: " + out);
    return (Map<String, Object>) Json.parse(out.trim());
  }

  static Map<String, Object> signal(double token) {
    Map<String, Object> candidate = new LinkedHashMap<>();
    candidate.put(
        "candidate",
        "candidate:3501123911 1 udp 2122194687 192.0.2.2 60370 typ host generation 0 ufrag LgRw network-id 1");
    candidate.put("sdpMLineIndex", 0);
    candidate.put("sdpMid", "0");
    Map<String, Object> sig = new LinkedHashMap<>();
    sig.put("type", "candidate");
    sig.put("candidate", candidate);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("to", "0b7d0e39-9b3e-4f6e-9d0b-2f8d4ab3e7a1");
    m.put("from", "f3a8c0de-5b51-4c35-8a61-6d0e2c9b1f00");
    m.put("type", "signal");
    m.put("token", token);
    m.put("signal", sig);
    return m;
  }

  @Test
  void matchesYWebrtcCrypto() throws Exception {
    Random random = new Random(19);
    String[][] cases = {
      {"pw", "r"},
      {"correct horse battery staple ✓ 🐴", "microcosm0123456789"},
      {"a\ud800b", "lone\udc00surrogates"}, // TextEncoder turns lone surrogates into U+FFFD
      {"x", ""},
    };
    for (String[] c : cases) {
      RoomCrypto key = RoomCrypto.derive(c[0], c[1]);
      List<byte[]> plain = new ArrayList<>();
      plain.add(new byte[0]);
      for (int n : new int[] {1, 15, 16, 17, 1000, 70_000}) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        plain.add(b);
      }
      List<Object> values = new ArrayList<>();
      values.add(signal(1765148212345.6789));
      values.add(Map.of("type", "announce", "from", "peer"));
      values.add(signal(-0.5));
      List<Object> sealed = new ArrayList<>();
      plain.forEach(b -> sealed.add(B64.encodeToString(key.seal(b))));
      List<Object> sealedJson = new ArrayList<>();
      values.forEach(v -> sealedJson.add(B64.encodeToString(key.sealJson(v))));
      List<Object> plainB64 = new ArrayList<>();
      plain.forEach(b -> plainB64.add(B64.encodeToString(b)));

      Map<String, Object> input = new LinkedHashMap<>();
      input.put("password", c[0]);
      input.put("room", c[1]);
      input.put("sealed", sealed);
      input.put("sealedJson", sealedJson);
      input.put("plain", plainB64);
      input.put("values", values);
      Map<String, Object> r = oracle(input);

      assertEquals(
          B64.encodeToString(key.rawKey()), r.get("rawKey"), "PBKDF2 key for " + List.of(c));
      assertEquals(plainB64, r.get("opened"), "y-webrtc opens what Java sealed");
      List<?> openedJson = (List<?>) r.get("openedJson");
      for (int i = 0; i < values.size(); i++) {
        assertEquals(
            Json.stringify(values.get(i)),
            Json.stringify(openedJson.get(i)),
            "y-webrtc reads Java's message " + i);
      }
      List<?> nodeSealed = (List<?>) r.get("nodeSealed");
      for (int i = 0; i < plain.size(); i++) {
        assertArrayEquals(
            plain.get(i),
            key.open(Base64.getDecoder().decode((String) nodeSealed.get(i))),
            "Java opens y-webrtc's " + i);
      }
      List<?> nodeSealedJson = (List<?>) r.get("nodeSealedJson");
      for (int i = 0; i < values.size(); i++) {
        Object v = key.openJson(Base64.getDecoder().decode((String) nodeSealedJson.get(i)));
        assertEquals(
            Json.stringify(values.get(i)), Json.stringify(v), "Java reads y-webrtc's message " + i);
      }
    }
  }

  @Test
  void anotherPasswordOpensNothingEitherWay() throws Exception {
    RoomCrypto mine = RoomCrypto.derive("right", "room");
    RoomCrypto theirs = RoomCrypto.derive("wrong", "room");
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("password", "right");
    input.put("room", "room");
    input.put("sealed", List.of(B64.encodeToString(theirs.seal(new byte[] {1, 2, 3}))));
    input.put("sealedJson", List.of(B64.encodeToString(theirs.sealJson(signal(1.5)))));
    input.put("plain", List.of(B64.encodeToString(new byte[] {1, 2, 3})));
    input.put("values", List.of(signal(2.5)));
    Map<String, Object> r = oracle(input);
    assertNull(((List<?>) r.get("opened")).get(0));
    assertNull(((List<?>) r.get("openedJson")).get(0));
    byte[] fromNode =
        Base64.getDecoder().decode((String) ((List<?>) r.get("nodeSealedJson")).get(0));
    assertThrows(RoomCrypto.SealException.class, () -> theirs.openJson(fromNode));
    assertEquals(Json.stringify(signal(2.5)), Json.stringify(mine.openJson(fromNode)));
    // same password, another room: another salt, another key
    assertThrows(
        RoomCrypto.SealException.class,
        () -> RoomCrypto.derive("right", "room2").openJson(fromNode));
  }

  @Test
  void garbageIsRefusedWithATypedError() {
    RoomCrypto key = RoomCrypto.derive("pw", "room");
    assertThrows(RoomCrypto.SealException.class, () -> key.open(new byte[0]));
    assertThrows(RoomCrypto.SealException.class, () -> key.open(new byte[] {3, 'A', 'E', 'S'}));
    byte[] sealed = key.seal(new byte[] {1, 2, 3});
    sealed[sealed.length - 1] ^= 1;
    assertThrows(RoomCrypto.SealException.class, () -> key.open(sealed));
  }
}
