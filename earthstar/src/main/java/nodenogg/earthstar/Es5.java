package nodenogg.earthstar;

import java.util.Set;
import java.util.regex.Pattern;
import nodenogg.earthstar.internal.Utf8;

/**
 * The es.5 document format: validation (every rule of earthstar 10's {@code FormatEs5}, and two
 * that are stricter: a document must belong to the share it arrives in, and a path holds {@code !}
 * exactly when {@code deleteAfter} is set) and signing. Stateless and thread-safe.
 */
public final class Es5 {
  /** Largest text, in UTF-8 bytes. */
  public static final int MAX_TEXT_BYTES = 8000;

  /** How far in the future a timestamp may be (clock skew), in microseconds: 10 minutes. */
  public static final long FUTURE_TOLERANCE_MICROS = 10L * 60 * 1000 * 1000;

  public static final long MIN_TIMESTAMP = 10_000_000_000_000L;
  public static final long MAX_TIMESTAMP = 9_007_199_254_740_990L;
  static final long MAX_ATTACHMENT_SIZE = 9_007_199_254_740_991L;
  static final Set<String> FIELDS =
      Set.of(
          "format",
          "author",
          "text",
          "textHash",
          "deleteAfter",
          "path",
          "signature",
          "shareSignature",
          "timestamp",
          "share",
          "attachmentSize",
          "attachmentHash");
  static final String PATH_CHARS =
      Addresses.LOWER + Addresses.LOWER.toUpperCase() + Addresses.DIGITS + "/'()-._~!$&+,:=@%";
  private static final String AUTHOR_CHARS = Addresses.NAME_CHARS + Addresses.B32 + "@.";
  private static final String SHARE_CHARS = Addresses.NAME_CHARS + Addresses.B32 + "+.";
  private static final Pattern EXTENSION = Pattern.compile("^.*\\.(\\w+)$");
  private static final Pattern ENDS_WITH_AUTHOR = Pattern.compile("^.*~@\\w{4}\\.\\w{53}$");

  private Es5() {}

  /** Current time in microseconds, the unit of timestamps. */
  public static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }

  /**
   * Checks every rule; returns normally when the document is valid.
   *
   * @param share the share the document must belong to, or null to accept any share
   * @param nowMicros this peer's clock, for the future and expiry rules
   */
  public static void check(EsDocument d, String share, long nowMicros)
      throws InvalidDocumentException {
    checkWithoutSignatures(d, share, nowMicros);
    String hash = d.hash();
    String input = hash;
    if (!Keys.verify(d.author(), d.signature(), input)) {
      throw new InvalidDocumentException(
          Rejection.BAD_SIGNATURE, "the author's signature does not verify");
    }
    if (!Keys.verify(d.share(), d.shareSignature(), input)) {
      throw new InvalidDocumentException(
          Rejection.BAD_SHARE_SIGNATURE, "the share signature does not verify");
    }
    if (!Keys.sha256Base32(d.text()).equals(d.textHash())) {
      throw new InvalidDocumentException(Rejection.TEXT_HASH, "textHash is not the hash of text");
    }
  }

  /** Every rule except the two signatures and the text hash (the expensive ones). */
  public static void checkWithoutSignatures(EsDocument d, String share, long nowMicros)
      throws InvalidDocumentException {
    checkSchema(d);
    if (d.timestamp() > nowMicros + FUTURE_TOLERANCE_MICROS) {
      throw new InvalidDocumentException(
          Rejection.FUTURE_TIMESTAMP,
          "timestamp is "
              + (d.timestamp() - nowMicros) / 1_000_000
              + " s in the future (10 minutes allowed)");
    }
    if (d.deleteAfter() != null) {
      if (nowMicros > d.deleteAfter()) {
        throw new InvalidDocumentException(Rejection.EXPIRED, "ephemeral document expired");
      }
      if (d.deleteAfter() <= d.timestamp()) {
        throw new InvalidDocumentException(
            Rejection.EPHEMERAL_BEFORE_CREATED, "deleteAfter is not after timestamp");
      }
    }
    String path = d.path();
    if (path.indexOf('~') >= 0 && !path.contains("~" + d.author())) {
      throw new InvalidDocumentException(
          Rejection.NO_WRITE_PERMISSION, "the path has '~' owners but not ~" + d.author());
    }
    if (d.text().isEmpty() && d.attachmentSize() != null && d.attachmentSize() > 0) {
      throw new InvalidDocumentException(
          Rejection.ATTACHMENT_FIELDS, "a document with an attachment must have text");
    }
    if (d.attachmentHash() != null && d.attachmentSize() == null) {
      throw new InvalidDocumentException(
          Rejection.ATTACHMENT_FIELDS, "attachmentHash without attachmentSize");
    }
    if (d.attachmentSize() != null && d.attachmentSize() != 0 && d.attachmentHash() == null) {
      throw new InvalidDocumentException(
          Rejection.ATTACHMENT_FIELDS, "attachmentSize without attachmentHash");
    }
    checkPath(path, d.attachmentHash() != null, d.deleteAfter() != null);
    String problem = Addresses.checkAuthor(d.author());
    if (problem != null) {
      throw new InvalidDocumentException(Rejection.BAD_ADDRESS, problem);
    }
    problem = Addresses.checkShare(d.share());
    if (problem != null) {
      throw new InvalidDocumentException(Rejection.BAD_ADDRESS, problem);
    }
    if (share != null && !share.equals(d.share())) {
      throw new InvalidDocumentException(Rejection.WRONG_SHARE, "document of share " + d.share());
    }
  }

  /**
   * The path rules: starts with {@code /}, does not end with one, no {@code //}, does not start
   * with {@code /@}; {@code !} exactly when ephemeral; a file extension exactly when there is an
   * attachment. (Characters and length belong to the schema and are checked by {@link #check}.)
   */
  public static void checkPath(String path, boolean hasAttachment, boolean ephemeral)
      throws InvalidDocumentException {
    if (!path.startsWith("/")) {
      throw new InvalidDocumentException(Rejection.PATH_SHAPE, "a path must start with /");
    }
    if (path.endsWith("/")) {
      throw new InvalidDocumentException(Rejection.PATH_SHAPE, "a path must not end with /");
    }
    if (path.startsWith("/@")) {
      throw new InvalidDocumentException(Rejection.PATH_SHAPE, "a path must not start with /@");
    }
    if (path.contains("//")) {
      throw new InvalidDocumentException(Rejection.PATH_SHAPE, "a path must not contain //");
    }
    boolean bang = path.indexOf('!') >= 0;
    if (ephemeral && !bang) {
      throw new InvalidDocumentException(
          Rejection.EPHEMERAL_PATH, "an ephemeral document's path must contain '!'");
    }
    if (!ephemeral && bang) {
      throw new InvalidDocumentException(
          Rejection.EPHEMERAL_PATH, "a path with '!' needs deleteAfter");
    }
    boolean ext = hasFileExtension(path);
    if (hasAttachment && !ext) {
      throw new InvalidDocumentException(
          Rejection.EXTENSION, "a document with an attachment needs a file extension");
    }
    if (!hasAttachment && ext) {
      throw new InvalidDocumentException(
          Rejection.EXTENSION, "a path with a file extension needs an attachment");
    }
  }

  /**
   * Whether the path ends in {@code .ext} (ext of word characters), not counting a trailing author
   * address.
   */
  public static boolean hasFileExtension(String path) {
    if (path.indexOf('.') < 0) {
      return false;
    }
    var m = EXTENSION.matcher(path);
    if (!m.matches()) {
      return false;
    }
    return !(m.group(1).length() == 53 && ENDS_WITH_AUTHOR.matcher(path).matches());
  }

  private static void checkSchema(EsDocument d) throws InvalidDocumentException {
    if (!EsDocument.FORMAT.equals(d.format())) {
      throw malformed("format must be \"es.5\"");
    }
    str("author", d.author(), AUTHOR_CHARS, -1, -1, -1);
    if (d.text() == null) {
      throw malformed("text is required");
    }
    if (Utf8.length(d.text()) > MAX_TEXT_BYTES) {
      throw new InvalidDocumentException(
          Rejection.TEXT_TOO_LONG,
          "text is " + Utf8.length(d.text()) + " UTF-8 bytes, at most " + MAX_TEXT_BYTES);
    }
    str("textHash", d.textHash(), Addresses.B32, 53, 53, -1);
    if (d.deleteAfter() != null) {
      range("deleteAfter", d.deleteAfter(), MIN_TIMESTAMP, MAX_TIMESTAMP);
    }
    str("path", d.path(), PATH_CHARS, -1, 2, 512);
    str("signature", d.signature(), Addresses.B32, 104, 104, -1);
    str("shareSignature", d.shareSignature(), Addresses.B32, 104, 104, -1);
    range("timestamp", d.timestamp(), MIN_TIMESTAMP, MAX_TIMESTAMP);
    str("share", d.share(), SHARE_CHARS, -1, -1, -1);
    if (d.attachmentSize() != null) {
      range("attachmentSize", d.attachmentSize(), 0, MAX_ATTACHMENT_SIZE);
    }
    if (d.attachmentHash() != null) {
      str("attachmentHash", d.attachmentHash(), Addresses.B32, 53, 53, -1);
    }
  }

  private static void str(String field, String v, String chars, int len, int minLen, int maxLen)
      throws InvalidDocumentException {
    if (v == null) {
      throw malformed(field + " is required");
    }
    int bytes = Utf8.length(v);
    if (minLen >= 0 && bytes < minLen) {
      throw malformed(field + " is shorter than " + minLen + " bytes");
    }
    if (maxLen >= 0 && bytes > maxLen) {
      throw malformed(field + " is longer than " + maxLen + " bytes");
    }
    if (len >= 0 && bytes != len) {
      throw malformed(field + " must be " + len + " characters, got " + bytes);
    }
    if (!Addresses.onlyChars(v, chars)) {
      throw malformed(field + " has characters it may not have");
    }
  }

  private static void range(String field, long v, long min, long max)
      throws InvalidDocumentException {
    if (v < min || v > max) {
      throw malformed(field + " " + v + " is outside " + min + ".." + max);
    }
  }

  private static InvalidDocumentException malformed(String message) {
    return new InvalidDocumentException(Rejection.MALFORMED, message);
  }

  /**
   * Signs an unsigned document (its signature fields are ignored) with the author's and the share's
   * secrets. The author must be {@code author.address()} and the share the one of {@code
   * shareSecret}.
   */
  public static EsDocument sign(EsDocument unsigned, AuthorKeypair author, String shareSecret) {
    if (!author.address().equals(unsigned.author())) {
      throw new IllegalArgumentException(
          "the document's author is " + unsigned.author() + ", not " + author.address());
    }
    String hash = unsigned.hash();
    return unsigned.withSignatures(author.sign(hash), Keys.sign(shareSecret, hash));
  }

  /**
   * A new signed document.
   *
   * @param deleteAfter microseconds, for an ephemeral document (path with {@code !}); null
   *     otherwise
   * @param attachment the attachment's bytes (path with a file extension), or null
   */
  public static EsDocument write(
      AuthorKeypair author,
      String share,
      String shareSecret,
      String path,
      String text,
      long timestamp,
      Long deleteAfter,
      byte[] attachment) {
    Long size = attachment == null ? null : (long) attachment.length;
    String attachmentHash = attachment == null ? null : Keys.sha256Base32(attachment);
    EsDocument d =
        new EsDocument(
            EsDocument.FORMAT,
            author.address(),
            text,
            Keys.sha256Base32(text),
            deleteAfter,
            path,
            "",
            "",
            timestamp,
            share,
            size,
            attachmentHash);
    return sign(d, author, shareSecret);
  }
}
