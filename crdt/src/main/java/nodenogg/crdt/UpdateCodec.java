package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;

/**
 * Reading, validating and integrating updates; writing structs (yjs utils/encoding.js). An update
 * is decoded completely (structs and delete set) before anything is integrated, so a malformed
 * update is rejected without touching the document. Guarded by the Doc's lock.
 */
final class UpdateCodec {
  private UpdateCodec() {}

  /** Clients of an update in wire order with their structs. */
  static final class DecodedUpdate {
    final Map<Long, List<AbstractStruct>> clients = new LinkedHashMap<>();

    /** Every struct in wire order (blocks of the same client are all kept here). */
    final List<AbstractStruct> flat = new ArrayList<>();

    DeleteSet ds;
  }

  static void writeStructs(
      UpdateEncoder encoder, List<AbstractStruct> structs, long client, long clock) {
    clock = Math.max(clock, structs.get(0).id.clock);
    int start = StructStore.findIndexSS(structs, clock);
    encoder.rest().writeVarUint(structs.size() - start);
    encoder.writeClient(client);
    encoder.rest().writeVarUint(clock);
    AbstractStruct first = structs.get(start);
    first.write(encoder, (int) (clock - first.id.clock));
    for (int i = start + 1; i < structs.size(); i++) {
      structs.get(i).write(encoder, 0);
    }
  }

  static void writeClientsStructs(
      UpdateEncoder encoder, StructStore store, Map<Long, Long> targetSv) {
    // Fast path (every local transaction, most remote ones): at most one client has structs beyond
    // targetSv, so no map and no sort are needed. A client is written iff its state > targetSv's
    // clock
    // (missing = 0), exactly the set the general path below computes.
    int count = 0;
    long onlyClient = 0;
    long onlyClock = 0;
    ArrayList<AbstractStruct> onlyStructs = null;
    for (Map.Entry<Long, ArrayList<AbstractStruct>> e : store.clients.entrySet()) {
      ArrayList<AbstractStruct> structs = e.getValue();
      AbstractStruct last = structs.get(structs.size() - 1);
      Long known = targetSv.get(e.getKey());
      long clock = known == null ? 0L : known;
      if (last.id.clock + last.length > clock) {
        if (++count > 1) {
          break;
        }
        onlyClient = e.getKey();
        onlyClock = clock;
        onlyStructs = structs;
      }
    }
    if (count <= 1) {
      encoder.rest().writeVarUint(count);
      if (count == 1) {
        writeStructs(encoder, onlyStructs, onlyClient, onlyClock);
      }
      return;
    }
    Map<Long, Long> sm = new HashMap<>();
    for (Map.Entry<Long, Long> e : targetSv.entrySet()) {
      if (store.getState(e.getKey()) > e.getValue()) {
        sm.put(e.getKey(), e.getValue());
      }
    }
    for (Long client : store.clients.keySet()) {
      if (!targetSv.containsKey(client)) {
        sm.put(client, 0L);
      }
    }
    encoder.rest().writeVarUint(sm.size());
    List<Long> clients = new ArrayList<>(sm.keySet());
    clients.sort(Collections.reverseOrder());
    for (Long client : clients) {
      writeStructs(encoder, store.clients.get(client), client, sm.get(client));
    }
  }

  /** Decodes every struct of an update; parents stay unresolved. Validates counts and clocks. */
  static DecodedUpdate readUpdate(UpdateDecoder decoder) {
    DecodedUpdate u = new DecodedUpdate();
    Lib0Decoder rest = decoder.rest();
    long numOfStateUpdates = rest.readVarUint();
    for (long i = 0; i < numOfStateUpdates; i++) {
      long numberOfStructs = readStructCount(decoder);
      long client = readBlockClient(decoder);
      long clock = rest.readVarUint();
      List<AbstractStruct> refs = new ArrayList<>((int) Math.min(numberOfStructs, 1024));
      if (u.clients.containsKey(client)) {
        // Yjs overwrites the earlier block of the same client
        u.clients.remove(client);
      }
      u.clients.put(client, refs);
      for (long s = 0; s < numberOfStructs; s++) {
        int sp = rest.pos();
        int info = decoder.readInfo();
        AbstractStruct struct;
        switch (info & 0x1F) {
          case 0:
            {
              long len = decoder.readLen();
              struct = new GC(new ID(client, clock), checkLen(sp, len, clock));
              break;
            }
          case 10:
            {
              long len = rest.readVarUint();
              if (len < 1 || clock + len >= Lib0Decoder.MAX_SAFE_INTEGER) {
                throw new DecodingException(
                    sp, "skip length within 2^53 clocks", "Bad skip length " + len);
              }
              struct = new Skip(new ID(client, clock), len);
              break;
            }
          default:
            {
              Item item = readItem(decoder, new ID(client, clock), info, sp);
              checkRef(sp, item, item.origin);
              checkRef(sp, item, item.rightOrigin);
              checkRef(sp, item, item.parentId);
              checkLen(sp, item.content.getLength(), clock);
              struct = item;
            }
        }
        refs.add(struct);
        u.flat.add(struct);
        clock += struct.len();
      }
    }
    return u;
  }

  /**
   * The struct count that opens a client block; refused when the rest of the input cannot hold that
   * many.
   */
  static long readStructCount(UpdateDecoder decoder) {
    int p = decoder.rest().pos();
    long numberOfStructs = decoder.rest().readVarUint();
    // every struct takes at least one byte
    if (!decoder.structCountPlausible(numberOfStructs)) {
      throw new DecodingException(
          p, "struct count within input", "Struct count too large: " + numberOfStructs);
    }
    return numberOfStructs;
  }

  /** The client id of a client block (a uint32). */
  static long readBlockClient(UpdateDecoder decoder) {
    int cp = decoder.rest().pos();
    long client = decoder.readClient();
    if (client > 0xFFFFFFFFL) {
      throw new DecodingException(cp, "uint32 client id", "Client id out of range: " + client);
    }
    return client;
  }

  /**
   * The rest of an item after its info byte (yjs readStructs, the Item case): origins, parent (root
   * name or parent item id, left unresolved) and parent key when they are on the wire, then the
   * content, which must not be empty. {@code sp} is the item's offset, for errors.
   */
  static Item readItem(UpdateDecoder decoder, ID id, int info, int sp) {
    boolean cantCopyParentInfo = (info & (0x40 | 0x80)) == 0;
    ID origin = (info & 0x80) != 0 ? decoder.readLeftID() : null;
    ID rightOrigin = (info & 0x40) != 0 ? decoder.readRightID() : null;
    String ykey = null;
    ID parentId = null;
    if (cantCopyParentInfo) {
      if (decoder.readParentInfo()) {
        ykey = decoder.readString().intern(); // root names repeat: share one copy
      } else {
        parentId = decoder.readLeftID();
      }
    }
    String parentSub = cantCopyParentInfo && (info & 0x20) != 0 ? decoder.readString() : null;
    Content content = Content.read(decoder, info, sp);
    if (content.getLength() < 1) {
      throw new DecodingException(sp, "content of length >= 1", "Empty item content");
    }
    Item item = new Item(id, null, origin, null, rightOrigin, null, parentSub, content);
    item.parentYKey = ykey;
    item.parentId = parentId;
    return item;
  }

  static int checkLen(int pos, long len, long clock) {
    if (len < 1 || len > Integer.MAX_VALUE || clock + len > Lib0Decoder.MAX_SAFE_INTEGER) {
      throw new DecodingException(
          pos, "struct length 1..2^31-1 within 2^53 clocks", "Bad struct length " + len);
    }
    return (int) len;
  }

  /**
   * Same-client references must point before the struct itself (Yjs would fail mid-integration).
   */
  private static void checkRef(int pos, Item item, ID ref) {
    if (ref != null && ref.client == item.id.client && ref.clock >= item.id.clock) {
      throw new DecodingException(
          pos,
          "reference to an earlier clock of the same client",
          "Struct " + item.id + " references " + ref + " of its own client at or after itself");
    }
    if (ref != null && ref.client > 0xFFFFFFFFL) {
      throw new DecodingException(pos, "uint32 client id", "Client id out of range: " + ref.client);
    }
  }

  static DecodedUpdate decodeV2(byte[] update) {
    Lib0Decoder d = new Lib0Decoder(update);
    UpdateDecoderV2 dec = new UpdateDecoderV2(d);
    DecodedUpdate u = readUpdate(dec);
    u.ds = DeleteSet.read(dec);
    return u;
  }

  static DecodedUpdate decode(byte[] update, boolean v2) {
    return v2 ? decodeV2(update) : decodeV1(update);
  }

  static DecodedUpdate decodeV1(byte[] update) {
    Lib0Decoder d = new Lib0Decoder(update);
    UpdateDecoderV1 dec = new UpdateDecoderV1(d);
    DecodedUpdate u = readUpdate(dec);
    u.ds = DeleteSet.read(dec);
    return u;
  }

  private static final class Target {
    int i;
    List<AbstractStruct> refs;

    Target(List<AbstractStruct> refs) {
      this.refs = refs;
    }
  }

  /**
   * Integrates decoded structs (yjs integrateStructs): highest client first, following missing
   * dependencies through a stack. Returns what could not be integrated, or null.
   */
  static StructStore.PendingStructs integrateStructs(
      Transaction transaction,
      StructStore store,
      Map<Long, List<AbstractStruct>> clientsStructRefs) {
    Map<Long, Target> targets = new HashMap<>();
    for (Map.Entry<Long, List<AbstractStruct>> e : clientsStructRefs.entrySet()) {
      targets.put(e.getKey(), new Target(e.getValue()));
    }
    List<Long> ids = new ArrayList<>(targets.keySet());
    ids.sort(null);
    if (ids.isEmpty()) {
      return null;
    }
    List<AbstractStruct> stack = new ArrayList<>();
    Map<Long, List<AbstractStruct>> restStructs = new HashMap<>();
    Map<Long, Long> missingSV = new LinkedHashMap<>();
    Map<Long, Long> state = new HashMap<>();

    Target cur = nextTarget(ids, targets);
    if (cur == null) {
      return null;
    }
    AbstractStruct stackHead = cur.refs.get(cur.i++);
    while (true) {
      if (!(stackHead instanceof Skip)) {
        final AbstractStruct sh = stackHead;
        long localClock = state.computeIfAbsent(sh.id.client, store::getState);
        long offset = localClock - sh.id.clock;
        if (offset < 0) {
          stack.add(sh);
          updateMissing(missingSV, sh.id.client, sh.id.clock - 1);
          addStackToRest(stack, targets, restStructs, ids);
        } else {
          long missing = sh.getMissing(transaction, store);
          if (missing != -1) {
            stack.add(sh);
            Target structRefs = targets.get(missing);
            if (structRefs == null || structRefs.refs.size() == structRefs.i) {
              updateMissing(missingSV, missing, store.getState(missing));
              addStackToRest(stack, targets, restStructs, ids);
            } else {
              stackHead = structRefs.refs.get(structRefs.i++);
              continue;
            }
          } else if (offset == 0 || offset < sh.length) {
            sh.integrate(transaction, (int) offset);
            state.put(sh.id.client, sh.id.clock + sh.length);
          }
        }
      }
      if (!stack.isEmpty()) {
        stackHead = stack.remove(stack.size() - 1);
      } else if (cur != null && cur.i < cur.refs.size()) {
        stackHead = cur.refs.get(cur.i++);
      } else {
        cur = nextTarget(ids, targets);
        if (cur == null) {
          break;
        }
        stackHead = cur.refs.get(cur.i++);
      }
    }
    if (!restStructs.isEmpty()) {
      StructStore.PendingStructs p = new StructStore.PendingStructs();
      p.missing.putAll(missingSV);
      // like Yjs: the pending structs are kept as a v2 update (so values pass through
      // TextEncoder/writeAny)
      UpdateEncoderV2 enc = new UpdateEncoderV2();
      enc.rest().writeVarUint(restStructs.size());
      List<Long> cs = new ArrayList<>(restStructs.keySet());
      cs.sort(Collections.reverseOrder());
      for (Long c : cs) {
        writeStructs(enc, restStructs.get(c), c, 0);
      }
      enc.rest().writeVarUint(0);
      p.update = enc.toByteArray();
      return p;
    }
    return null;
  }

  private static void updateMissing(Map<Long, Long> missingSV, long client, long clock) {
    Long m = missingSV.get(client);
    if (m == null || m > clock) {
      missingSV.put(client, clock);
    }
  }

  private static void addStackToRest(
      List<AbstractStruct> stack,
      Map<Long, Target> targets,
      Map<Long, List<AbstractStruct>> restStructs,
      List<Long> ids) {
    for (AbstractStruct item : stack) {
      long client = item.id.client;
      Target t = targets.get(client);
      if (t != null) {
        t.i--;
        restStructs.put(client, new ArrayList<>(t.refs.subList(t.i, t.refs.size())));
        targets.remove(client);
        t.i = 0;
        t.refs = new ArrayList<>();
      } else {
        List<AbstractStruct> l = new ArrayList<>();
        l.add(item);
        restStructs.put(client, l);
      }
      ids.remove(Long.valueOf(client));
    }
    stack.clear();
  }

  private static Target nextTarget(List<Long> ids, Map<Long, Target> targets) {
    while (!ids.isEmpty()) {
      Target t = targets.get(ids.get(ids.size() - 1));
      if (t != null && t.i < t.refs.size()) {
        return t;
      }
      ids.remove(ids.size() - 1);
    }
    return null;
  }
}
