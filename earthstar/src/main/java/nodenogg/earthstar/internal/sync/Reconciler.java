package nodenogg.earthstar.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import nodenogg.earthstar.internal.Thumbnails;
import nodenogg.earthstar.internal.Thumbnails.Thumb;

/**
 * Range-based set reconciliation of document thumbnails, message for message compatible with the
 * range messenger earthstar 10 uses ({@code RANGE_MSG} payloads: {@code LOWER_BOUND}, {@code
 * FINGERPRINT}, {@code PAYLOAD}, {@code EMPTY_PAYLOAD}, {@code DONE}, {@code EMPTY_SET}, {@code
 * TERMINAL}).
 *
 * <p>Messages carry no lower bound: each range starts where the previous message from the same side
 * ended. A round is what one side sends up to its {@code TERMINAL}; the other side answers every
 * message, then echoes the {@code TERMINAL}. A side is done after a round in which it sent nothing
 * that asks for an answer (no fingerprint, no empty payload, no payload that may be answered, no
 * {@code EMPTY_SET} that may be answered), or when told the other set is empty and final. Every
 * item the other side names is inserted into our working set and handed to the insertion callback
 * (which asks for the document when it is new to us). Not thread-safe (one session thread).
 */
public final class Reconciler {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Thumbnails.WorkingSet set;
  private final int payloadThreshold;
  private final int rangeDivision;
  private final Consumer<Thumb> onInsertion;
  private final int maxInserted;
  private Thumb lowerFromPrevious;
  private List<Thumb> collated;
  private Thumb collatedLower;
  private Thumb pendingDone;
  private boolean doneSoFar = true;
  private boolean done;

  public Reconciler(
      Thumbnails.WorkingSet set,
      int payloadThreshold,
      int rangeDivision,
      int maxInserted,
      Consumer<Thumb> onInsertion) {
    this.set = set;
    this.payloadThreshold = payloadThreshold;
    this.rangeDivision = rangeDivision;
    this.maxInserted = maxInserted;
    this.onInsertion = onInsertion;
  }

  public boolean isDone() {
    return done;
  }

  /** Items inserted from the other side (bounded). */
  public int inserted() {
    return set.added();
  }

  /** The opening messages of the side that starts. */
  public List<ObjectNode> initialMessages() {
    List<ObjectNode> out = new ArrayList<>();
    if (set.size() == 0) {
      out.add(emptySet(true));
      return out;
    }
    List<Thumb> items = set.all();
    Thumb lowest = items.get(0);
    out.add(msg("LOWER_BOUND").put("value", lowest.text()));
    int chunk = (items.size() + rangeDivision - 1) / rangeDivision;
    for (int i = 0; i < items.size(); i += chunk) {
      List<Thumb> part = items.subList(i, Math.min(items.size(), i + chunk));
      Thumb end = i + chunk < items.size() ? items.get(i + chunk) : lowest;
      if (part.size() <= payloadThreshold) {
        payloads(part, end, true, out);
      } else {
        out.add(fingerprint(set.range(part.get(0), end), end));
      }
    }
    out.add(msg("TERMINAL"));
    return out;
  }

  /** Our answers to one message of the other side. */
  public List<ObjectNode> respond(JsonNode message) throws ProtocolException {
    if (done) {
      return List.of();
    }
    if (message == null || !message.isObject() || !message.path("type").isTextual()) {
      throw new ProtocolException("malformed_message", "RANGE_MSG without a message type");
    }
    String type = message.get("type").asText();
    Thumb lower = lowerFromPrevious;
    List<ObjectNode> responses;
    switch (type) {
      case "PAYLOAD" -> {
        Thumb item = thumb(message.get("payload"), "payload");
        JsonNode end = message.get("end");
        if (collated == null) {
          collated = new ArrayList<>();
          collatedLower = lower;
        }
        collated.add(item);
        if (collated.size() > 100_000) {
          throw new ProtocolException(
              "reconciliation_limit", "more than 100,000 items in one payload run");
        }
        if (end == null || end.isNull()) {
          return List.of();
        }
        if (!end.isObject()) {
          throw new ProtocolException("malformed_message", "PAYLOAD end is not an object");
        }
        JsonNode ub = end.get("upperBound");
        Thumb upper =
            ub == null || ub.isNull() || (ub.isTextual() && ub.asText().isEmpty())
                ? item
                : thumb(ub, "upperBound");
        boolean canRespond = end.path("canRespond").asBoolean(false);
        lowerFromPrevious = upper;
        List<Thumb> items = collated;
        Thumb from = collatedLower;
        collated = null;
        collatedLower = null;
        responses = payloadReceived(from, items, upper, canRespond);
      }
      case "FINGERPRINT" -> {
        discardPartialPayload();
        Thumb upper = thumb(message.get("upperBound"), "upperBound");
        BigInteger fp = hex(message.get("fingerprint"));
        lowerFromPrevious = upper;
        responses = fingerprintReceived(requireLower(lower), fp, upper);
      }
      case "EMPTY_PAYLOAD" -> {
        discardPartialPayload();
        Thumb upper = thumb(message.get("upperBound"), "upperBound");
        lowerFromPrevious = upper;
        List<Thumb> items = set.range(requireLower(lower), upper);
        responses = new ArrayList<>();
        if (!items.isEmpty()) {
          payloads(items, upper, false, responses);
        }
      }
      case "DONE" -> {
        discardPartialPayload();
        Thumb upper = thumb(message.get("upperBound"), "upperBound");
        lowerFromPrevious = upper;
        responses = List.of(msg("DONE").put("upperBound", upper.text()));
      }
      case "LOWER_BOUND" -> {
        discardPartialPayload();
        Thumb value = thumb(message.get("value"), "value");
        lowerFromPrevious = value;
        responses = List.of(msg("LOWER_BOUND").put("value", value.text()));
      }
      case "EMPTY_SET" -> {
        discardPartialPayload();
        JsonNode cr = message.get("canRespond");
        if (cr == null || !cr.isBoolean()) {
          throw new ProtocolException("malformed_message", "EMPTY_SET without canRespond");
        }
        if (!cr.asBoolean()) {
          done = true;
        }
        responses = emptySetReceived();
      }
      case "TERMINAL" -> {
        discardPartialPayload();
        responses = List.of(msg("TERMINAL"));
      }
      default ->
          throw new ProtocolException("malformed_message", "unknown RANGE_MSG type '" + type + "'");
    }
    List<ObjectNode> out = new ArrayList<>(responses.size() + 1);
    for (ObjectNode r : responses) {
      if ("DONE".equals(r.get("type").asText())) {
        pendingDone = Thumb.parse(r.get("upperBound").asText());
        continue;
      }
      if (pendingDone != null) {
        out.add(msg("DONE").put("upperBound", pendingDone.text()));
        pendingDone = null;
      }
      out.add(r);
    }
    for (ObjectNode m : out) {
      judge(m);
    }
    return out;
  }

  /** Whether this side is done, judged from what it sends (as earthstar judges it). */
  private void judge(ObjectNode m) {
    if (done) {
      return;
    }
    switch (m.get("type").asText()) {
      case "EMPTY_SET" -> {
        if (m.get("canRespond").asBoolean()) {
          doneSoFar = false;
        }
      }
      case "FINGERPRINT", "EMPTY_PAYLOAD" -> doneSoFar = false;
      case "PAYLOAD" -> {
        JsonNode end = m.get("end");
        if (end != null && end.get("canRespond").asBoolean()) {
          doneSoFar = false;
        }
      }
      case "TERMINAL" -> {
        if (doneSoFar) {
          done = true;
        } else {
          doneSoFar = true;
        }
      }
      default -> {}
    }
  }

  private void discardPartialPayload() {
    // a run of payloads must end with one that has an end; earthstar drops an unfinished run
    collated = null;
    collatedLower = null;
  }

  private static Thumb requireLower(Thumb lower) throws ProtocolException {
    if (lower == null) {
      throw new ProtocolException("malformed_message", "a range message before any lower bound");
    }
    return lower;
  }

  private List<ObjectNode> emptySetReceived() {
    List<ObjectNode> out = new ArrayList<>();
    if (set.size() == 0) {
      out.add(emptySet(false));
      return out;
    }
    List<Thumb> items = set.all();
    Thumb lowest = items.get(0);
    out.add(msg("LOWER_BOUND").put("value", lowest.text()));
    payloads(items, lowest, false, out);
    out.add(msg("TERMINAL"));
    return out;
  }

  private List<ObjectNode> fingerprintReceived(Thumb lower, BigInteger theirs, Thumb upper) {
    List<Thumb> items = set.range(lower, upper);
    List<ObjectNode> out = new ArrayList<>();
    if (Thumbnails.fingerprint(items).equals(theirs)) {
      out.add(msg("DONE").put("upperBound", upper.text()));
      return out;
    }
    if (items.size() <= payloadThreshold) {
      if (items.isEmpty()) {
        out.add(msg("EMPTY_PAYLOAD").put("upperBound", upper.text()));
      } else {
        payloads(items, upper, true, out);
      }
      return out;
    }
    int chunk = (items.size() + rangeDivision - 1) / rangeDivision;
    if (chunk <= payloadThreshold) {
      payloads(items, upper, true, out);
      return out;
    }
    for (int i = 0; i < items.size(); i += chunk) {
      Thumb begin = items.get(i);
      Thumb end = i + chunk < items.size() ? items.get(i + chunk) : upper;
      out.add(fingerprint(set.range(begin, end), end));
    }
    return out;
  }

  private List<ObjectNode> payloadReceived(
      Thumb lower, List<Thumb> items, Thumb upper, boolean canRespond) throws ProtocolException {
    for (Thumb t : items) {
      if (set.add(t) && set.added() > maxInserted) {
        throw new ProtocolException(
            "reconciliation_limit",
            "the other peer named more than " + maxInserted + " documents we do not have");
      }
      onInsertion.accept(t);
    }
    List<ObjectNode> out = new ArrayList<>();
    if (!canRespond) {
      out.add(msg("DONE").put("upperBound", upper.text()));
      return out;
    }
    List<Thumb> ours = set.range(requireLower(lower), upper);
    if (ours.isEmpty()) {
      out.add(msg("EMPTY_PAYLOAD").put("upperBound", upper.text()));
      return out;
    }
    Set<Thumb> received = new HashSet<>(items);
    List<Thumb> reply = new ArrayList<>();
    for (Thumb t : ours) {
      if (!received.contains(t)) {
        reply.add(t);
      }
    }
    if (!reply.isEmpty()) {
      payloads(reply, upper, false, out);
    }
    return out;
  }

  private static void payloads(
      List<Thumb> items, Thumb upper, boolean canRespond, List<ObjectNode> out) {
    for (int i = 0; i < items.size(); i++) {
      ObjectNode p = msg("PAYLOAD").put("payload", items.get(i).text());
      if (i == items.size() - 1) {
        ObjectNode end = p.putObject("end");
        end.put("upperBound", upper.text());
        end.put("canRespond", canRespond);
      }
      out.add(p);
    }
  }

  private static ObjectNode fingerprint(List<Thumb> items, Thumb upper) {
    return msg("FINGERPRINT")
        .put("fingerprint", Thumbnails.fingerprintHex(Thumbnails.fingerprint(items)))
        .put("upperBound", upper.text());
  }

  private static ObjectNode emptySet(boolean canRespond) {
    return msg("EMPTY_SET").put("canRespond", canRespond);
  }

  private static ObjectNode msg(String type) {
    ObjectNode o = F.objectNode();
    o.put("type", type);
    return o;
  }

  private static Thumb thumb(JsonNode n, String field) throws ProtocolException {
    Thumb t = n != null && n.isTextual() ? Thumb.parse(n.asText()) : null;
    if (t == null) {
      throw new ProtocolException(
          "malformed_message", "RANGE_MSG " + field + " is not a document thumbnail");
    }
    return t;
  }

  private static BigInteger hex(JsonNode n) throws ProtocolException {
    if (n == null || !n.isTextual() || n.asText().isEmpty() || n.asText().length() > 64) {
      throw new ProtocolException("malformed_message", "FINGERPRINT fingerprint is not hex");
    }
    try {
      return new BigInteger(n.asText(), 16);
    } catch (NumberFormatException e) {
      throw new ProtocolException("malformed_message", "FINGERPRINT fingerprint is not hex");
    }
  }
}
