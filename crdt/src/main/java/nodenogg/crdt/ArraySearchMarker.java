package nodenogg.crdt;

import java.util.List;

/**
 * Remembers (item, index) positions in a long list or text so that index lookups start near the
 * target instead of at the start (yjs ArraySearchMarker). At most {@link #MAX} per type.
 */
final class ArraySearchMarker {
  static final int MAX = 80;
  private static long globalTimestamp = 0;

  Item p;
  int index;
  long timestamp;

  ArraySearchMarker(Item p, int index) {
    p.setMarker(true);
    this.p = p;
    this.index = index;
    this.timestamp = globalTimestamp++;
  }

  private void refresh() {
    timestamp = globalTimestamp++;
  }

  private void overwrite(Item np, int nindex) {
    p.setMarker(false);
    p = np;
    np.setMarker(true);
    index = nindex;
    timestamp = globalTimestamp++;
  }

  private static ArraySearchMarker markPosition(
      List<ArraySearchMarker> markers, Item p, int index) {
    if (markers.size() >= MAX) {
      ArraySearchMarker oldest = markers.get(0);
      for (ArraySearchMarker m : markers) {
        if (m.timestamp < oldest.timestamp) {
          oldest = m;
        }
      }
      oldest.overwrite(p, index);
      return oldest;
    }
    ArraySearchMarker pm = new ArraySearchMarker(p, index);
    markers.add(pm);
    return pm;
  }

  static ArraySearchMarker find(AbstractType<?> yarray, int index) {
    if (yarray.start == null || index == 0 || yarray.searchMarker == null) {
      return null;
    }
    List<ArraySearchMarker> markers = yarray.searchMarker;
    ArraySearchMarker marker = null;
    for (ArraySearchMarker m : markers) {
      if (marker == null || Math.abs(index - m.index) < Math.abs(index - marker.index)) {
        marker = m;
      }
    }
    Item p = yarray.start;
    int pindex = 0;
    if (marker != null) {
      p = marker.p;
      pindex = marker.index;
      marker.refresh();
    }
    while (p.right != null && pindex < index) {
      if (!p.isDeleted() && p.countable()) {
        if (index < pindex + p.length) {
          break;
        }
        pindex += p.length;
      }
      p = p.right;
    }
    while (p.left != null && pindex > index) {
      p = p.left;
      if (!p.isDeleted() && p.countable()) {
        pindex -= p.length;
      }
    }
    while (p.left != null
        && p.left.id.client == p.id.client
        && p.left.id.clock + p.left.length == p.id.clock) {
      p = p.left;
      if (!p.isDeleted() && p.countable()) {
        pindex -= p.length;
      }
    }
    if (marker != null && Math.abs(marker.index - pindex) < (double) p.parent.length / MAX) {
      marker.overwrite(p, pindex);
      return marker;
    }
    return markPosition(markers, p, pindex);
  }

  static void updateChanges(List<ArraySearchMarker> markers, int index, int len) {
    for (int i = markers.size() - 1; i >= 0; i--) {
      ArraySearchMarker m = markers.get(i);
      // A marker on a live countable item stays where it is (the walk below would not move it and
      // clearing then setting its marker bit is a no-op), so only displaced markers are re-homed.
      if (len > 0 && (m.p.isDeleted() || !m.p.countable())) {
        Item p = m.p;
        p.setMarker(false);
        while (p != null && (p.isDeleted() || !p.countable())) {
          p = p.left;
          if (p != null && !p.isDeleted() && p.countable()) {
            m.index -= p.length;
          }
        }
        if (p == null || p.marker()) {
          markers.remove(i);
          continue;
        }
        m.p = p;
        p.setMarker(true);
      }
      if (index < m.index || (len > 0 && index == m.index)) {
        m.index = Math.max(index, m.index + len);
      }
    }
  }
}
