package nodenogg.sync.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * A test-only {@link SyncDocument}: a grow-only set of opaque entries (a trivial CRDT), so that
 * transport and server plumbing can be tested without the Yjs engine. An "update" is {@code vu n, n
 * × vb entry}; the "state vector" is {@code vu n, n × vs id} where id is a hash prefix. Thread-safe
 * (synchronized).
 */
public final class ToyDocument implements SyncDocument {
  private final Map<String, byte[]> entries = new LinkedHashMap<>();
  private final List<BiConsumer<byte[], Object>> listeners = new CopyOnWriteArrayList<>();

  public static String id(byte[] entry) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(entry);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        sb.append(String.format("%02x", h[i] & 0xff));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] encode(List<byte[]> list) {
    Lib0Encoder w = new Lib0Encoder().writeVarUint(list.size());
    for (byte[] e : list) {
      w.writeVarUint8Array(e);
    }
    return w.toByteArray();
  }

  public static List<byte[]> decode(byte[] update) {
    Lib0Decoder r = new Lib0Decoder(update);
    long n = r.readVarUint();
    List<byte[]> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(r.readVarUint8Array());
    }
    if (r.hasContent()) {
      throw new ProtocolException("trailing bytes in toy update", r.pos());
    }
    return out;
  }

  /** Adds a local entry (origin null) and returns the update it produced. */
  public byte[] add(String text) {
    byte[] u = encode(List.of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    apply(u, null);
    return u;
  }

  public synchronized Set<String> texts() {
    Set<String> s = new HashSet<>();
    for (byte[] e : entries.values()) {
      s.add(new String(e, java.nio.charset.StandardCharsets.UTF_8));
    }
    return s;
  }

  @Override
  public synchronized byte[] stateVector() {
    Lib0Encoder w = new Lib0Encoder().writeVarUint(entries.size());
    for (String k : entries.keySet()) {
      w.writeVarString(k);
    }
    return w.toByteArray();
  }

  @Override
  public synchronized byte[] diff(byte[] remoteStateVector) {
    Lib0Decoder r = new Lib0Decoder(remoteStateVector);
    long n = r.readVarUint();
    Set<String> known = new HashSet<>();
    for (long i = 0; i < n; i++) {
      known.add(r.readVarString());
    }
    List<byte[]> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      if (!known.contains(e.getKey())) {
        out.add(e.getValue());
      }
    }
    return encode(out);
  }

  @Override
  public synchronized Applied apply(byte[] update, Object origin) {
    List<byte[]> added = new ArrayList<>();
    for (byte[] e : decode(update)) {
      if (entries.putIfAbsent(id(e), e) == null) {
        added.add(e);
      }
    }
    if (added.isEmpty()) {
      return Applied.NOTHING;
    }
    byte[] u = encode(added);
    for (BiConsumer<byte[], Object> l : listeners) {
      l.accept(u, origin);
    }
    return new Applied(u, false);
  }

  @Override
  public synchronized boolean containsUpdate(byte[] update) {
    for (byte[] e : decode(update)) {
      if (!entries.containsKey(id(e))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Registration onUpdate(BiConsumer<byte[], Object> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
