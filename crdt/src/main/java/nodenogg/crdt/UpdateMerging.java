package nodenogg.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * Update-level functions that need no Doc (yjs utils/updates.js): merge, diff against a state
 * vector, state vector and clock ranges of an update, and v1/v2 conversion. Outputs are
 * byte-identical to Yjs 13.6. Both formats share one implementation parameterised by {@code v2};
 * the Doc's pending structs (kept as a v2 update) are merged here too. Stateless; thread-safe.
 *
 * <p>Inputs of merge, diff and state vector are read by {@link #parse}: v1 updates through the full
 * validating decoder ({@link UpdateCodec}), v2 updates through {@link LazyStructs} — as each
 * format's entry points always did.
 */
final class UpdateMerging {
  private UpdateMerging() {}

  static UpdateDecoder decoder(byte[] update, boolean v2) {
    Lib0Decoder in = new Lib0Decoder(update);
    return v2 ? new UpdateDecoderV2(in) : new UpdateDecoderV1(in);
  }

  static UpdateEncoder encoder(boolean v2) {
    return v2 ? new UpdateEncoderV2() : new UpdateEncoderV1();
  }

  /** Structs (wire order, in {@code flat}) and delete set of an update. */
  static UpdateCodec.DecodedUpdate parse(byte[] update, boolean v2) {
    if (!v2) {
      return UpdateCodec.decodeV1(update);
    }
    return lenient(update, true);
  }

  private static UpdateCodec.DecodedUpdate lenient(byte[] update, boolean v2) {
    UpdateDecoder dec = decoder(update, v2);
    UpdateCodec.DecodedUpdate u = new UpdateCodec.DecodedUpdate();
    u.flat.addAll(LazyStructs.readAll(dec));
    u.ds = DeleteSet.read(dec);
    return u;
  }

  /** A cursor over one update's structs (yjs LazyStructReader). */
  private static final class Cursor {
    final List<AbstractStruct> structs;
    int i;
    AbstractStruct curr;
    final boolean filterSkips;

    Cursor(List<AbstractStruct> structs, boolean filterSkips) {
      this.structs = structs;
      this.filterSkips = filterSkips;
      next();
    }

    AbstractStruct next() {
      do {
        curr = i < structs.size() ? structs.get(i++) : null;
      } while (filterSkips && curr instanceof Skip);
      return curr;
    }
  }

  /**
   * Item and GC lengths are ints here (a Skip holds a long); no real update comes near the limit.
   */
  private static int len(long l) {
    if (l < 1 || l > Integer.MAX_VALUE) {
      throw new UpdateException("Merged struct of length " + l + " is out of range (1..2^31-1)");
    }
    return (int) l;
  }

  private static long end(AbstractStruct s) {
    return s.id.clock + s.len();
  }

  /** yjs mergeUpdatesV2; a single update is returned unchanged. */
  static byte[] merge(List<byte[]> updates, boolean v2) {
    if (updates.size() == 1) {
      return updates.get(0);
    }
    // every update (delete set included) is read before anything is written, so a bad input fails
    // early
    List<UpdateCodec.DecodedUpdate> decoded = new ArrayList<>();
    for (byte[] u : updates) {
      decoded.add(parse(u, v2));
    }
    return mergeDecoded(decoded, v2);
  }

  private static byte[] mergeDecoded(List<UpdateCodec.DecodedUpdate> updates, boolean v2) {
    List<Cursor> cursors = new ArrayList<>();
    List<DeleteSet> dss = new ArrayList<>();
    for (UpdateCodec.DecodedUpdate u : updates) {
      cursors.add(new Cursor(u.flat, true));
      dss.add(u.ds);
    }
    UpdateEncoder enc = encoder(v2);
    LazyStructs.Writer writer = new LazyStructs.Writer(enc);
    AbstractStruct currWrite = null;
    int currOffset = 0;
    while (true) {
      cursors.removeIf(c -> c.curr == null);
      // as Yjs: equal clocks order a Skip last, other differing kinds compare "less" either way
      cursors.sort(
          (a, b) -> {
            if (a.curr.id.client == b.curr.id.client) {
              long clockDiff = a.curr.id.clock - b.curr.id.clock;
              if (clockDiff == 0) {
                return a.curr.getClass() == b.curr.getClass() ? 0 : a.curr instanceof Skip ? 1 : -1;
              }
              return clockDiff < 0 ? -1 : 1;
            }
            return Long.compare(b.curr.id.client, a.curr.id.client);
          });
      if (cursors.isEmpty()) {
        break;
      }
      Cursor currDecoder = cursors.get(0);
      long firstClient = currDecoder.curr.id.client;
      if (currWrite != null) {
        AbstractStruct curr = currDecoder.curr;
        boolean iterated = false;
        while (curr != null
            && end(curr) <= end(currWrite)
            && curr.id.client >= currWrite.id.client) {
          curr = currDecoder.next();
          iterated = true;
        }
        if (curr == null
            || curr.id.client != firstClient
            || (iterated && curr.id.clock > end(currWrite))) {
          continue;
        }
        if (firstClient != currWrite.id.client) {
          writer.write(currWrite, currOffset);
          currWrite = curr;
          currOffset = 0;
          currDecoder.next();
        } else if (end(currWrite) < curr.id.clock) {
          if (currWrite instanceof Skip) {
            ((Skip) currWrite).setLen(end(curr) - currWrite.id.clock);
          } else {
            writer.write(currWrite, currOffset);
            long diff = curr.id.clock - end(currWrite);
            currWrite = new Skip(new ID(firstClient, end(currWrite)), diff);
            currOffset = 0;
          }
        } else {
          long diff = end(currWrite) - curr.id.clock;
          if (diff > 0) {
            if (currWrite instanceof Skip) {
              ((Skip) currWrite).setLen(currWrite.len() - diff);
            } else {
              curr = LazyStructs.slice(curr, (int) diff);
            }
          }
          // decoded items never merge (their `right` is unset); GC and Skip do
          boolean merged = false;
          if (!(currWrite instanceof Item)) {
            if (currWrite instanceof GC && curr instanceof GC) {
              len((long) currWrite.length + curr.length);
            }
            merged = currWrite.mergeWith(curr);
          }
          if (!merged) {
            writer.write(currWrite, currOffset);
            currWrite = curr;
            currOffset = 0;
            currDecoder.next();
          }
        }
      } else {
        currWrite = currDecoder.curr;
        currOffset = 0;
        currDecoder.next();
      }
      for (AbstractStruct next = currDecoder.curr;
          next != null
              && next.id.client == firstClient
              && next.id.clock == end(currWrite)
              && !(next instanceof Skip);
          next = currDecoder.next()) {
        writer.write(currWrite, currOffset);
        currWrite = next;
        currOffset = 0;
      }
    }
    if (currWrite != null) {
      writer.write(currWrite, currOffset);
    }
    writer.finish();
    DeleteSet.merge(dss).write(enc);
    return enc.toByteArray();
  }

  /**
   * yjs diffUpdateV2: the part of {@code update} the holder of state vector {@code sv} is missing.
   */
  static byte[] diff(byte[] update, byte[] sv, boolean v2) {
    Map<Long, Long> state = Updates.decodeStateVector(sv);
    UpdateCodec.DecodedUpdate u = parse(update, v2);
    Cursor reader = new Cursor(u.flat, false);
    UpdateEncoder enc = encoder(v2);
    LazyStructs.Writer writer = new LazyStructs.Writer(enc);
    while (reader.curr != null) {
      AbstractStruct curr = reader.curr;
      long currClient = curr.id.client;
      long svClock = state.getOrDefault(currClient, 0L);
      if (curr instanceof Skip) {
        reader.next();
        continue;
      }
      if (end(curr) > svClock) {
        writer.write(curr, (int) Math.max(svClock - curr.id.clock, 0));
        reader.next();
        while (reader.curr != null && reader.curr.id.client == currClient) {
          writer.write(reader.curr, 0);
          reader.next();
        }
      } else {
        while (reader.curr != null
            && reader.curr.id.client == currClient
            && end(reader.curr) <= svClock) {
          reader.next();
        }
      }
    }
    writer.finish();
    u.ds.write(enc);
    return enc.toByteArray();
  }

  /** yjs encodeStateVectorFromUpdate: plain varUint state vector bytes, clients in update order. */
  static byte[] stateVectorFromUpdate(byte[] update, boolean v2) {
    List<AbstractStruct> structs = parse(update, v2).flat;
    Lib0Encoder body = new Lib0Encoder();
    int size = 0;
    if (!structs.isEmpty()) {
      AbstractStruct first = structs.get(0);
      long currClient = first.id.client;
      boolean stopCounting = first.id.clock != 0;
      long currClock = stopCounting ? 0 : end(first);
      for (AbstractStruct curr : structs) {
        if (currClient != curr.id.client) {
          if (currClock != 0) {
            size++;
            body.writeVarUint(currClient);
            body.writeVarUint(currClock);
          }
          currClient = curr.id.client;
          currClock = 0;
          stopCounting = curr.id.clock != 0;
        }
        if (curr instanceof Skip) {
          stopCounting = true;
        }
        if (!stopCounting) {
          currClock = end(curr);
        }
      }
      if (currClock != 0) {
        size++;
        body.writeVarUint(currClient);
        body.writeVarUint(currClock);
      }
    }
    Lib0Encoder out = new Lib0Encoder();
    out.writeVarUint(size);
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** yjs parseUpdateMeta(V2): first and end clock per client. */
  static UpdateMeta meta(byte[] update, boolean v2) {
    List<AbstractStruct> structs = LazyStructs.readAll(decoder(update, v2));
    Map<Long, Long> from = new LinkedHashMap<>();
    Map<Long, Long> to = new LinkedHashMap<>();
    if (!structs.isEmpty()) {
      long currClient = structs.get(0).id.client;
      long currClock = structs.get(0).id.clock;
      from.put(currClient, currClock);
      for (AbstractStruct curr : structs) {
        if (currClient != curr.id.client) {
          to.put(currClient, currClock);
          from.put(curr.id.client, curr.id.clock);
          currClient = curr.id.client;
        }
        currClock = end(curr);
      }
      to.put(currClient, currClock);
    }
    return new UpdateMeta(from, to);
  }

  /** yjs convertUpdateFormat: re-encode struct by struct (order kept), then the delete set. */
  static byte[] convert(byte[] update, boolean fromV2, boolean toV2) {
    UpdateCodec.DecodedUpdate u = lenient(update, fromV2);
    UpdateEncoder enc = encoder(toV2);
    LazyStructs.Writer writer = new LazyStructs.Writer(enc);
    for (AbstractStruct s : u.flat) {
      writer.write(s, 0);
    }
    writer.finish();
    u.ds.write(enc);
    return enc.toByteArray();
  }
}
