package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;

/**
 * A run of UTF-16 code units (ref 4). Lengths and offsets count UTF-16 code units.
 *
 * <p>Java strings are immutable and not ropes, so appending merged runs to a {@code String} copies
 * the whole run every time (Yjs gets away with {@code str += right.str} because V8 concatenates
 * lazily). Merging therefore goes through a double-ended character buffer kept until the content is
 * read: the smaller side is copied into the larger side's buffer, at its front or its end, so any
 * sequence of merges costs O(n log n) character copies in total, whether a run grows to the right
 * (typing) or a cleanup merges a long chain right to left (a log of adjacent inserts applied in one
 * transaction). {@link #str()} builds the string once and drops the buffer (a read costs O(length)
 * anyway), so a document holds plain strings once read or encoded.
 */
final class ContentString implements Content {
  /** The text, or null while it is only in {@link #buf} (after a merge). */
  private String str;

  /**
   * Merge buffer holding the whole text in {@code buf[start, start + len)}; null until the first
   * merge.
   */
  private char[] buf;

  private int start;
  private int len;

  ContentString(String str) {
    this.str = str;
    this.len = str.length();
  }

  /** The content as one string. */
  String str() {
    String s = str;
    if (s == null) {
      if (buf == null) {
        throw new IllegalStateException("content read after it was merged into its left neighbour");
      }
      s = new String(buf, start, len);
      str = s;
      buf = null; // reading costs O(len) anyway; the next merge copies the string into a new buffer
      // once
    }
    return s;
  }

  /** The UTF-16 unit at {@code i}. */
  private char charAt(int i) {
    return str != null ? str.charAt(i) : buf[start + i];
  }

  /** {@code [from, len)} as a string, copying only that part. */
  String substring(int from) {
    if (str != null) {
      return str.substring(from);
    }
    return new String(buf, start + from, len - from);
  }

  @Override
  public int getLength() {
    return len;
  }

  @Override
  public List<Object> getContent() {
    String t = str();
    List<Object> l = new ArrayList<>(t.length());
    for (int i = 0; i < t.length(); i++) {
      l.add(String.valueOf(t.charAt(i)));
    }
    return l;
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public Content copy() {
    return new ContentString(str());
  }

  /** Splitting between the halves of a surrogate pair turns both halves into U+FFFD (yjs#248). */
  @Override
  public Content splice(int offset) {
    ContentString right = new ContentString(substring(offset));
    if (str != null) {
      str = str.substring(0, offset);
    }
    len = offset; // the buffer, if any, keeps its first `offset` units
    if (offset > 0 && Character.isHighSurrogate(charAt(offset - 1))) {
      String left = str();
      str = left.substring(0, offset - 1) + '\uFFFD';
      buf = null;
      right.str = '\uFFFD' + right.str.substring(1);
    }
    return right;
  }

  @Override
  public boolean mergeWith(Content right) {
    ContentString r = (ContentString) right;
    int total = len + r.len;
    if (total < 0 || total > MAX) {
      return false; // beyond what a JS string can hold: leave the items unmerged
    }
    if (r.len > len && r.buf != null) {
      // the right side is the larger buffer: take it over and put this text in front of it
      char[] b = r.buf;
      int s = r.start - len;
      if (s < 0) {
        b = new char[capacity(total)];
        s = (b.length - total) / 2;
        System.arraycopy(r.buf, r.start, b, s + len, r.len);
      }
      copyInto(b, s);
      buf = b;
      start = s;
      r.buf =
          null; // the right item leaves the store with this merge; its content is not read again
      r.str = null;
    } else {
      if (buf == null || start + total > buf.length) {
        char[] b = new char[capacity(total)];
        copyInto(b, 0);
        buf = b;
        start = 0;
      }
      r.copyInto(buf, start + len);
    }
    len = total;
    str = null;
    return true;
  }

  /** Longest run kept in one item (about what a JS string can hold; V8 allows 2^29 - 24 units). */
  private static final int MAX = (1 << 30) - 64;

  private static int capacity(int total) {
    return (int) Math.min(MAX + 64L, Math.max(16L, total * 2L));
  }

  /** Copies this text into {@code dst} at {@code at}. */
  private void copyInto(char[] dst, int at) {
    if (str != null) {
      str.getChars(0, len, dst, at);
    } else {
      System.arraycopy(buf, start, dst, at, len);
    }
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeString(offset == 0 ? str() : substring(offset));
  }

  @Override
  public int getRef() {
    return 4;
  }
}
