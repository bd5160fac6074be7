package nodenogg.earthstar;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import nodenogg.earthstar.internal.Json;

/**
 * One es.5 document as it travels and is stored: every field of the format, optional ones null when
 * absent. Construction does not validate; {@link Es5#check} does. Immutable.
 *
 * @param timestamp microseconds since the epoch
 * @param deleteAfter microseconds; set only for ephemeral documents (paths with {@code !})
 * @param attachmentSize bytes of the attachment, set together with {@code attachmentHash}
 */
public record EsDocument(
    String format,
    String author,
    String text,
    String textHash,
    Long deleteAfter,
    String path,
    String signature,
    String shareSignature,
    long timestamp,
    String share,
    Long attachmentSize,
    String attachmentHash) {

  public static final String FORMAT = "es.5";

  /** The canonical text whose SHA-256 is the document hash (and what both signatures sign). */
  public String hashInput() {
    StringBuilder sb = new StringBuilder(256);
    if (attachmentHash != null) {
      sb.append("attachmentHash\t").append(attachmentHash).append('\n');
    }
    if (attachmentSize != null) {
      sb.append("attachmentSize\t").append(attachmentSize.longValue()).append('\n');
    }
    sb.append("author\t").append(author).append('\n');
    if (deleteAfter != null) {
      sb.append("deleteAfter\t").append(deleteAfter.longValue()).append('\n');
    }
    sb.append("format\t").append(format).append('\n');
    sb.append("path\t").append(path).append('\n');
    sb.append("textHash\t").append(textHash).append('\n');
    sb.append("timestamp\t").append(timestamp).append('\n');
    sb.append("share\t").append(share).append('\n');
    return sb.toString();
  }

  /** The es.5 document hash: {@code "b"} + base32(sha256({@link #hashInput()})). */
  public String hash() {
    return Keys.sha256Base32(hashInput());
  }

  /** Whether this document carries an attachment (a hash and a size above zero). */
  public boolean hasAttachment() {
    return attachmentHash != null && attachmentSize != null && attachmentSize > 0;
  }

  public boolean isEphemeral() {
    return deleteAfter != null;
  }

  /** Whether an ephemeral document has expired at {@code nowMicros}. */
  public boolean isExpired(long nowMicros) {
    return deleteAfter != null && deleteAfter < nowMicros;
  }

  /** This document with other signatures. */
  public EsDocument withSignatures(String signature, String shareSignature) {
    return new EsDocument(
        format,
        author,
        text,
        textHash,
        deleteAfter,
        path,
        signature,
        shareSignature,
        timestamp,
        share,
        attachmentSize,
        attachmentHash);
  }

  /** The JSON object earthstar sends and stores (no extra fields). */
  public String toJson() {
    StringWriter w = new StringWriter(text.length() + 512);
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      write(g);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }

  /** Writes this document as a JSON object. */
  public void write(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("format", format);
    g.writeStringField("author", author);
    g.writeStringField("text", text);
    g.writeStringField("textHash", textHash);
    if (deleteAfter != null) {
      g.writeNumberField("deleteAfter", deleteAfter.longValue());
    }
    g.writeStringField("path", path);
    g.writeStringField("signature", signature);
    g.writeStringField("shareSignature", shareSignature);
    g.writeNumberField("timestamp", timestamp);
    g.writeStringField("share", share);
    if (attachmentSize != null) {
      g.writeNumberField("attachmentSize", attachmentSize.longValue());
    }
    if (attachmentHash != null) {
      g.writeStringField("attachmentHash", attachmentHash);
    }
    g.writeEndObject();
  }

  /** Parses JSON text; see {@link #fromJson(JsonNode)}. */
  public static EsDocument fromJson(String json) throws InvalidDocumentException {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new InvalidDocumentException(Rejection.MALFORMED, "not JSON: " + e.getMessage());
    }
    return fromJson(node);
  }

  /**
   * Reads a document object with the types of the es.5 schema: strings are strings, numbers are
   * integers (JSON {@code 1e15} counts, {@code 1.5} does not), optional fields are absent (never
   * {@code null}). Extra fields whose names start with {@code _} are dropped, as earthstar does;
   * any other extra field is refused. Only types are checked here; {@link Es5#check} does the rest.
   */
  public static EsDocument fromJson(JsonNode node) throws InvalidDocumentException {
    if (node == null || !node.isObject()) {
      throw malformed("a document must be a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (!Es5.FIELDS.contains(key) && !key.startsWith("_")) {
        throw malformed("extra field '" + key + "' (extra fields must start with '_')");
      }
    }
    return new EsDocument(
        str(node, "format", true),
        str(node, "author", true),
        str(node, "text", true),
        str(node, "textHash", true),
        integer(node, "deleteAfter", false),
        str(node, "path", true),
        str(node, "signature", true),
        str(node, "shareSignature", true),
        integer(node, "timestamp", true),
        str(node, "share", true),
        integer(node, "attachmentSize", false),
        str(node, "attachmentHash", false));
  }

  private static String str(JsonNode node, String field, boolean required)
      throws InvalidDocumentException {
    JsonNode v = node.get(field);
    if (v == null) {
      if (required) {
        throw malformed(field + " is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw malformed(field + " must be a string");
    }
    return v.textValue();
  }

  private static Long integer(JsonNode node, String field, boolean required)
      throws InvalidDocumentException {
    JsonNode v = node.get(field);
    if (v == null) {
      if (required) {
        throw malformed(field + " is required");
      }
      return null;
    }
    if (!v.isNumber()) {
      throw malformed(field + " must be a number");
    }
    if (v.isIntegralNumber()) {
      BigInteger b = v.bigIntegerValue();
      if (b.bitLength() > 62) {
        throw malformed(field + " is out of range");
      }
      return b.longValue();
    }
    double d = v.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d) || Math.abs(d) > 4e18) {
      throw malformed(field + " must be an integer");
    }
    return (long) d;
  }

  private static InvalidDocumentException malformed(String message) {
    return new InvalidDocumentException(Rejection.MALFORMED, message);
  }

  /** Short description for logs: path, author name and timestamp. */
  public String describe() {
    return path
        + " by "
        + (author != null && author.indexOf('.') > 0
            ? author.substring(0, author.indexOf('.'))
            : author)
        + " at "
        + timestamp;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EsDocument d)) {
      return false;
    }
    return timestamp == d.timestamp
        && Objects.equals(format, d.format)
        && Objects.equals(author, d.author)
        && Objects.equals(text, d.text)
        && Objects.equals(textHash, d.textHash)
        && Objects.equals(deleteAfter, d.deleteAfter)
        && Objects.equals(path, d.path)
        && Objects.equals(signature, d.signature)
        && Objects.equals(shareSignature, d.shareSignature)
        && Objects.equals(share, d.share)
        && Objects.equals(attachmentSize, d.attachmentSize)
        && Objects.equals(attachmentHash, d.attachmentHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(signature, path, author, timestamp);
  }
}
