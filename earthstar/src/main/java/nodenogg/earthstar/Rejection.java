package nodenogg.earthstar;

/** Why a document (or an attachment) was refused. Counters and logs use {@link #code()}. */
public enum Rejection {
  /**
   * Not an object, missing or extra fields, wrong types, lengths or characters (the es.5 schema).
   */
  MALFORMED("malformed"),
  /** {@code text} longer than 8,000 UTF-8 bytes. */
  TEXT_TOO_LONG("text_too_long"),
  /** {@code timestamp} more than 10 minutes ahead of this peer's clock. */
  FUTURE_TIMESTAMP("future_timestamp"),
  /** An ephemeral document whose {@code deleteAfter} has passed. */
  EXPIRED("expired"),
  /** {@code deleteAfter} not after {@code timestamp}. */
  EPHEMERAL_BEFORE_CREATED("ephemeral_before_created"),
  /** The path contains {@code ~} but not {@code ~<author>}. */
  NO_WRITE_PERMISSION("no_write_permission"),
  /**
   * {@code attachmentHash} and {@code attachmentSize} do not go together, or an attachment without
   * text.
   */
  ATTACHMENT_FIELDS("attachment_fields"),
  /** The path's shape: leading/trailing {@code /}, {@code //}, {@code /@}. */
  PATH_SHAPE("path_shape"),
  /**
   * A {@code !} in the path without {@code deleteAfter}, or {@code deleteAfter} without a {@code
   * !}.
   */
  EPHEMERAL_PATH("ephemeral_path"),
  /** A file extension without an attachment, or an attachment without a file extension. */
  EXTENSION("extension"),
  /** A malformed author or share address. */
  BAD_ADDRESS("bad_address"),
  /** A document of another share than the replica or sync it arrived in. */
  WRONG_SHARE("wrong_share"),
  /** The author's signature does not verify. */
  BAD_SIGNATURE("bad_signature"),
  /** The share's signature does not verify. */
  BAD_SHARE_SIGNATURE("bad_share_signature"),
  /** {@code textHash} is not the hash of {@code text}. */
  TEXT_HASH("text_hash"),
  /** Attachment bytes whose hash or size differ from the document's. */
  ATTACHMENT_MISMATCH("attachment_mismatch");

  private final String code;

  Rejection(String code) {
    this.code = code;
  }

  /** Stable snake_case name for counters and logs. */
  public String code() {
    return code;
  }
}
