package nodenogg.earthstar;

import static nodenogg.earthstar.testing.EarthstarJs.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import nodenogg.earthstar.internal.Xxh64;
import nodenogg.earthstar.testing.EarthstarJs;
import org.junit.jupiter.api.Test;

/**
 * Base32, SHA-256, xxHash64, keypairs, signatures, document hashes and every validation rule,
 * checked against the real earthstar 10.2.2: vectors produced by the JS library, Java-signed
 * documents validated by it and JS-signed documents validated by us.
 */
class CoreInteropTest {
  private static final HexFormat HEX = HexFormat.of();

  private static ObjectNode op(String name) {
    return JSON.createObjectNode().put("op", name);
  }

  @Test
  void base32MatchesTheJsCodecBothWaysAndRejectsTheSameStrings() throws Exception {
    Random rnd = new Random(7);
    ArrayNode ops = JSON.createArrayNode();
    List<byte[]> inputs = new ArrayList<>();
    for (int len = 0; len <= 70; len++) {
      byte[] b = new byte[len];
      rnd.nextBytes(b);
      inputs.add(b);
      ops.add(op("base32encode").put("hex", HEX.formatHex(b)));
    }
    List<String> strings = new ArrayList<>();
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    for (int i = 0; i < 300; i++) {
      StringBuilder sb = new StringBuilder(i % 7 == 0 ? "" : "b");
      int len = rnd.nextInt(12);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet.charAt(rnd.nextInt(32)));
      }
      if (i % 11 == 0) {
        sb.append('=');
      }
      if (i % 13 == 0) {
        sb.append("A1");
      }
      strings.add(sb.toString());
    }
    for (String s : strings) {
      ops.add(op("base32decode").put("str", s));
    }
    List<JsonNode> res = EarthstarJs.oracle(ops);
    for (int i = 0; i < inputs.size(); i++) {
      String js = res.get(i).get("ok").asText();
      assertEquals(
          js, Base32.encode(inputs.get(i)), "encode of " + inputs.get(i).length + " bytes");
      assertEquals(HEX.formatHex(inputs.get(i)), HEX.formatHex(Base32.decode(js)));
    }
    int accepted = 0;
    for (int i = 0; i < strings.size(); i++) {
      JsonNode r = res.get(inputs.size() + i);
      String s = strings.get(i);
      if (r.has("ok")) {
        accepted++;
        assertEquals(
            r.get("ok").asText(), HEX.formatHex(Base32.decode(s)), "decode of '" + s + "'");
      } else {
        assertTrue(
            !Base32.isValid(s),
            "JS rejects '" + s + "' (" + r.get("error").asText() + ") but we accept it");
      }
    }
    assertTrue(
        accepted > 20 && accepted < strings.size() - 20, "the corpus has both kinds: " + accepted);
  }

  @Test
  void sha256AndXxh64MatchJs() throws Exception {
    List<String> texts =
        new ArrayList<>(
            List.of(
                "",
                "a",
                "abc",
                "hello world",
                "ünïcödé ✓",
                "emoji 🦄🌈",
                "tab\tnewline\n",
                "x".repeat(31),
                "x".repeat(32),
                "x".repeat(33),
                "y".repeat(1000),
                "1700000000000000 a83dfac89ac",
                "/wiki/page @suzy.bweb2huh5l6gbu6pghzdnan5c2q4mpqxrk356qvvmmaolwsmqjrea"));
    Random rnd = new Random(3);
    for (int i = 0; i < 60; i++) {
      StringBuilder sb = new StringBuilder();
      int len = rnd.nextInt(90);
      for (int j = 0; j < len; j++) {
        sb.append((char) (32 + rnd.nextInt(95)));
      }
      texts.add(sb.toString());
    }
    ArrayNode ops = JSON.createArrayNode();
    for (String t : texts) {
      ops.add(op("sha256base32").put("text", t));
      ops.add(op("xxh64").put("text", t));
    }
    List<JsonNode> res = EarthstarJs.oracle(ops);
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(
          res.get(2 * i).get("ok").asText(),
          Keys.sha256Base32(texts.get(i)),
          "sha256 of " + texts.get(i));
      assertEquals(
          res.get(2 * i + 1).get("ok").asText(),
          Xxh64.hex(Xxh64.hash(texts.get(i))),
          "xxh64 of " + texts.get(i));
    }
  }

  @Test
  void keypairsAndSignaturesAreAcceptedBothWays() throws Exception {
    ArrayNode gen = JSON.createArrayNode();
    gen.add(op("authorKeypair").put("name", "suzy"));
    gen.add(op("shareKeypair").put("name", "gardening"));
    List<JsonNode> jsKeys = EarthstarJs.oracle(gen);
    AuthorKeypair jsAuthor =
        new AuthorKeypair(
            jsKeys.get(0).get("ok").get("address").asText(),
            jsKeys.get(0).get("ok").get("secret").asText());
    ShareKeypair jsShare =
        new ShareKeypair(
            jsKeys.get(1).get("ok").get("shareAddress").asText(),
            jsKeys.get(1).get("ok").get("secret").asText());
    assertNull(jsAuthor.check());
    assertNull(jsShare.check());
    AuthorKeypair author = AuthorKeypair.generate("abcd");
    ShareKeypair share = ShareKeypair.generate("microcosm");
    String message = "the message ✓";
    ArrayNode ops = JSON.createArrayNode();
    ops.add(op("checkKeypair").set("keypair", JSON.readTree(author.toJson())));
    ops.add(op("checkKeypair").set("keypair", JSON.readTree(share.toJson())));
    ops.add(op("sign").put("message", message).set("keypair", JSON.readTree(jsAuthor.toJson())));
    ops.add(
        op("verify")
            .put("address", author.address())
            .put("signature", author.sign(message))
            .put("message", message));
    ops.add(
        op("verify")
            .put("address", author.address())
            .put("signature", author.sign(message))
            .put("message", message + "!"));
    ops.add(
        op("verify")
            .put("address", share.shareAddress())
            .put("signature", share.sign(message))
            .put("message", message));
    List<JsonNode> res = EarthstarJs.oracle(ops);
    assertTrue(res.get(0).get("ok").asBoolean(), res.get(0).toString());
    assertTrue(res.get(1).get("ok").asBoolean(), res.get(1).toString());
    // Ed25519 is deterministic: the same key signs the same message to the same bytes
    assertEquals(res.get(2).get("ok").asText(), jsAuthor.sign(message));
    assertTrue(Keys.verify(jsAuthor.address(), res.get(2).get("ok").asText(), message));
    assertTrue(res.get(3).get("ok").asBoolean());
    assertTrue(!res.get(4).get("ok").asBoolean());
    assertTrue(res.get(5).get("ok").asBoolean());
    assertTrue(!Keys.verify(jsAuthor.address(), res.get(2).get("ok").asText(), message + "!"));
  }

  @Test
  void addressValidityAgreesWithJs() throws Exception {
    AuthorKeypair a = AuthorKeypair.generate("suzy");
    ShareKeypair s = ShareKeypair.generate("garden");
    String key = a.address().substring(6);
    List<String> authors =
        List.of(
            a.address(),
            "@suz." + key,
            "@suzyy." + key,
            "@1uzy." + key,
            "@Suzy." + key,
            "@suzy." + key.substring(1),
            "@suzy." + key + "a",
            "@suzy.c" + key.substring(1),
            "suzy." + key,
            "@suzy" + key,
            "@suzy.." + key,
            "@su.y." + key,
            "@suzy." + key.toUpperCase(),
            "@suzy." + key.substring(0, 52) + "1",
            "+suzy." + key,
            "",
            "@ab");
    String skey = s.shareAddress().substring(s.shareAddress().indexOf('.') + 1);
    List<String> shares =
        List.of(
            s.shareAddress(),
            "+a." + skey,
            "+abcdefghijklmno." + skey,
            "+abcdefghijklmnop." + skey,
            "+9abc." + skey,
            "+garden." + skey.substring(2),
            "+gar-den." + skey,
            "+." + skey,
            "@garden." + skey);
    ArrayNode ops = JSON.createArrayNode();
    authors.forEach(x -> ops.add(op("checkAuthor").put("address", x)));
    shares.forEach(x -> ops.add(op("checkShare").put("address", x)));
    List<JsonNode> res = EarthstarJs.oracle(ops);
    for (int i = 0; i < authors.size(); i++) {
      assertEquals(
          res.get(i).has("ok"),
          Addresses.isAuthor(authors.get(i)),
          "author '" + authors.get(i) + "': " + res.get(i));
    }
    for (int i = 0; i < shares.size(); i++) {
      JsonNode r = res.get(authors.size() + i);
      assertEquals(
          r.has("ok"), Addresses.isShare(shares.get(i)), "share '" + shares.get(i) + "': " + r);
    }
  }

  @Test
  void javaSignedDocumentsAreValidForJsAndJsSignedOnesForUs() throws Exception {
    AuthorKeypair author = AuthorKeypair.generate("suzy");
    ShareKeypair share = ShareKeypair.generate("test");
    long now = Es5.nowMicros();
    List<EsDocument> docs = new ArrayList<>();
    docs.add(
        Es5.write(author, share.shareAddress(), share.secret(), "/hello", "hi", now, null, null));
    docs.add(
        Es5.write(
            author,
            share.shareAddress(),
            share.secret(),
            "/unicode/%C3%BC",
            "ünïcödé 🦄 ✓",
            now - 5,
            null,
            null));
    docs.add(
        Es5.write(author, share.shareAddress(), share.secret(), "/empty", "", now, null, null));
    docs.add(
        Es5.write(
            author,
            share.shareAddress(),
            share.secret(),
            "/chat/!typing",
            "yes",
            now,
            now + 60_000_000,
            null));
    docs.add(
        Es5.write(
            author,
            share.shareAddress(),
            share.secret(),
            "/~" + author.address() + "/mine",
            "owned",
            now,
            null,
            null));
    docs.add(
        Es5.write(
            author,
            share.shareAddress(),
            share.secret(),
            "/files/photo.jpg",
            "a photo",
            now,
            null,
            new byte[] {1, 2, 3, 4, 5}));
    docs.add(
        Es5.write(
            author,
            share.shareAddress(),
            share.secret(),
            "/big",
            "é".repeat(4000),
            now,
            null,
            null));
    ArrayNode ops = JSON.createArrayNode();
    for (EsDocument d : docs) {
      ops.add(op("hash").set("doc", JSON.readTree(d.toJson())));
      ops.add(op("validate").put("now", now).set("doc", JSON.readTree(d.toJson())));
      ObjectNode unsigned = (ObjectNode) JSON.readTree(d.toJson());
      unsigned.put("signature", "?").put("shareSignature", "?");
      ObjectNode sign = op("signDocument").put("shareSecret", share.secret());
      sign.set("keypair", JSON.readTree(author.toJson()));
      sign.set("doc", unsigned);
      ops.add(sign);
    }
    List<JsonNode> res = EarthstarJs.oracle(ops);
    for (int i = 0; i < docs.size(); i++) {
      EsDocument d = docs.get(i);
      assertEquals(
          d.hash(),
          res.get(3 * i).path("ok").asText(),
          "hash of " + d.path() + ": " + res.get(3 * i));
      assertTrue(
          res.get(3 * i + 1).has("ok"), "JS validates " + d.path() + ": " + res.get(3 * i + 1));
      EsDocument jsSigned = EsDocument.fromJson(res.get(3 * i + 2).get("ok"));
      Es5.check(jsSigned, share.shareAddress(), now);
      assertEquals(d, jsSigned, "JS signs " + d.path() + " to the same bytes");
    }
  }

  /**
   * One rule broken at a time; JS and we must agree on accept/reject (two documented stricter rules
   * aside).
   */
  @Test
  void everyValidationRuleAgreesWithJs() throws Exception {
    AuthorKeypair author = AuthorKeypair.generate("suzy");
    AuthorKeypair other = AuthorKeypair.generate("othr");
    ShareKeypair share = ShareKeypair.generate("test");
    ShareKeypair otherShare = ShareKeypair.generate("test");
    long now = Es5.nowMicros();
    record Case(String name, String json, boolean stricterHere) {}
    List<Case> cases = new ArrayList<>();
    java.util.function.BiConsumer<String, EsDocument> add =
        (name, d) -> cases.add(new Case(name, d.toJson(), false));
    String s = share.shareAddress();
    String sec = share.secret();
    add.accept("plain", Es5.write(author, s, sec, "/a/b", "text", now, null, null));
    add.accept(
        "text 8000 bytes", Es5.write(author, s, sec, "/t", "é".repeat(4000), now, null, null));
    add.accept(
        "text 8001 bytes",
        Es5.write(author, s, sec, "/t", "é".repeat(4000) + "x", now, null, null));
    add.accept(
        "text 8000 chars but 16000 bytes",
        Es5.write(author, s, sec, "/t", "é".repeat(8000), now, null, null));
    add.accept(
        "future 9 min", Es5.write(author, s, sec, "/t", "x", now + 9 * 60_000_000L, null, null));
    add.accept(
        "future 11 min", Es5.write(author, s, sec, "/t", "x", now + 11 * 60_000_000L, null, null));
    add.accept(
        "expired", Es5.write(author, s, sec, "/t!", "x", now - 20_000_000, now - 10_000_000, null));
    add.accept(
        "deleteAfter before timestamp", Es5.write(author, s, sec, "/t!", "x", now, now - 1, null));
    add.accept(
        "ephemeral without !", Es5.write(author, s, sec, "/t", "x", now, now + 60_000_000, null));
    add.accept(
        "ephemeral with !", Es5.write(author, s, sec, "/t!", "x", now, now + 60_000_000, null));
    cases.add(
        new Case(
            "! without deleteAfter",
            Es5.write(author, s, sec, "/t!", "x", now, null, null).toJson(),
            true));
    add.accept(
        "own ~", Es5.write(author, s, sec, "/~" + author.address() + "/x", "x", now, null, null));
    add.accept(
        "other's ~",
        Es5.write(author, s, sec, "/~" + other.address() + "/x", "x", now, null, null));
    add.accept(
        "shared ~",
        Es5.write(
            author,
            s,
            sec,
            "/~" + other.address() + "~" + author.address() + "/x",
            "x",
            now,
            null,
            null));
    add.accept(
        "extension without attachment",
        Es5.write(author, s, sec, "/photo.jpg", "x", now, null, null));
    add.accept(
        "attachment without extension",
        Es5.write(author, s, sec, "/photo", "x", now, null, new byte[] {1}));
    add.accept(
        "attachment", Es5.write(author, s, sec, "/photo.jpg", "x", now, null, new byte[] {1}));
    add.accept(
        "attachment, empty text",
        Es5.write(author, s, sec, "/photo.jpg", "", now, null, new byte[] {1}));
    add.accept(
        "path ending in author address",
        Es5.write(author, s, sec, "/x~" + author.address(), "x", now, null, null));
    add.accept("no leading /", Es5.write(author, s, sec, "a/b", "x", now, null, null));
    add.accept("trailing /", Es5.write(author, s, sec, "/a/", "x", now, null, null));
    add.accept("//", Es5.write(author, s, sec, "/a//b", "x", now, null, null));
    add.accept("/@", Es5.write(author, s, sec, "/@a", "x", now, null, null));
    add.accept("space in path", Es5.write(author, s, sec, "/a b", "x", now, null, null));
    add.accept("non-ascii path", Es5.write(author, s, sec, "/ü", "x", now, null, null));
    add.accept("path 513", Es5.write(author, s, sec, "/" + "a".repeat(512), "x", now, null, null));
    add.accept("path 512", Es5.write(author, s, sec, "/" + "a".repeat(511), "x", now, null, null));
    add.accept(
        "timestamp too small",
        Es5.write(author, s, sec, "/t", "x", 9_999_999_999_999L, null, null));
    add.accept(
        "other share's document",
        Es5.write(
            author, otherShare.shareAddress(), otherShare.secret(), "/t", "x", now, null, null));
    EsDocument good = Es5.write(author, s, sec, "/t", "x", now, null, null);
    List<UnaryOperator<ObjectNode>> mutations = new ArrayList<>();
    List<String> names = new ArrayList<>();
    names.add("signature by another author");
    mutations.add(o -> o.put("signature", other.sign(good.hash())));
    names.add("share signature by another share");
    mutations.add(o -> o.put("shareSignature", otherShare.sign(good.hash())));
    names.add("text changed");
    mutations.add(o -> o.put("text", "y"));
    names.add("timestamp changed");
    mutations.add(o -> o.put("timestamp", now + 1));
    names.add("extra field");
    mutations.add(o -> o.put("extra", 1));
    names.add("underscore field");
    mutations.add(o -> o.put("_localIndex", 4));
    names.add("timestamp as string");
    mutations.add(o -> o.put("timestamp", String.valueOf(now)));
    names.add("timestamp fractional");
    mutations.add(o -> o.put("timestamp", now + 0.5));
    names.add("deleteAfter null");
    mutations.add(o -> o.putNull("deleteAfter"));
    names.add("format es.4");
    mutations.add(o -> o.put("format", "es.4"));
    names.add("signature uppercase");
    mutations.add(o -> o.put("signature", o.get("signature").asText().toUpperCase()));
    names.add("signature trailing bits");
    mutations.add(
        o -> {
          String sig = o.get("signature").asText();
          return o.put("signature", sig.substring(0, 103) + (sig.charAt(103) == 'a' ? 'b' : 'a'));
        });
    names.add("missing share");
    mutations.add(
        o -> {
          o.remove("share");
          return o;
        });
    names.add("bad author address");
    mutations.add(o -> o.put("author", "@su.y" + o.get("author").asText().substring(5)));
    for (int i = 0; i < mutations.size(); i++) {
      ObjectNode o = (ObjectNode) JSON.readTree(good.toJson());
      cases.add(new Case(names.get(i), JSON.writeValueAsString(mutations.get(i).apply(o)), false));
    }
    ArrayNode ops = JSON.createArrayNode();
    for (Case c : cases) {
      ops.add(op("validate").put("now", now).set("doc", JSON.readTree(c.json)));
    }
    List<JsonNode> res = EarthstarJs.oracle(ops);
    int rejected = 0;
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      boolean jsOk = res.get(i).has("ok");
      String ours = null;
      try {
        Es5.check(EsDocument.fromJson(c.json), null, now);
      } catch (InvalidDocumentException e) {
        ours = e.getMessage();
        rejected++;
      }
      if (c.stricterHere) {
        assertTrue(
            jsOk && ours != null, c.name + ": JS accepts (" + res.get(i) + "), we refuse: " + ours);
      } else {
        assertEquals(jsOk, ours == null, c.name + ": JS says " + res.get(i) + ", we say " + ours);
      }
    }
    assertTrue(rejected > 20, "most cases break a rule: " + rejected);
    // stricter than JS: a document of another share is refused where a share is expected
    EsDocument foreign =
        Es5.write(
            author, otherShare.shareAddress(), otherShare.secret(), "/t", "x", now, null, null);
    InvalidDocumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidDocumentException.class, () -> Es5.check(foreign, s, now));
    assertEquals(Rejection.WRONG_SHARE, e.reason());
  }
}
