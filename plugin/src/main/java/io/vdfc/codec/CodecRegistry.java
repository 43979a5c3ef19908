package io.vdfc.codec;

import io.vdfc.vdf.VelocityMesh;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The codecs found by {@link ServiceLoader}, by name and by id. Duplicate names or ids fail loudly. */
public final class CodecRegistry {
  private static final CodecRegistry DEFAULT = new CodecRegistry(ServiceLoader.load(VdfCodec.class, CodecRegistry.class.getClassLoader()));

  private final Map<String, VdfCodec> byName = new TreeMap<>();
  private final VdfCodec[] byId = new VdfCodec[256];

  CodecRegistry(Iterable<VdfCodec> codecs) {
    for (VdfCodec c : codecs) {
      if (c.id() < 1 || c.id() > 255) {
        throw new IllegalStateException("codec " + c.name() + " has id " + c.id() + " outside 1..255");
      }
      if (byName.put(c.name(), c) != null || byId[c.id()] != null) {
        throw new IllegalStateException("codec name " + c.name() + " or id " + c.id() + " registered twice");
      }
      byId[c.id()] = c;
    }
  }

  public static CodecRegistry get() {
    return DEFAULT;
  }

  /** The codec of that name; an unknown name lists the available ones. */
  public VdfCodec byName(String name) {
    VdfCodec c = byName.get(name);
    if (c == null) {
      throw new IllegalArgumentException("unknown codec '" + name + "', available: " + String.join(", ", byName.keySet()));
    }
    return c;
  }

  /** The codec with that id, for decoding; an unknown id is a corrupt or too-new file. */
  public VdfCodec byId(int id) throws CorruptRecordException {
    VdfCodec c = id >= 0 && id < 256 ? byId[id] : null;
    if (c == null) {
      throw new CorruptRecordException("unknown codec id " + id + " (known: " + String.join(", ", describeIds()) + ")");
    }
    return c;
  }

  /** The names of the codecs that can code cells on {@code mesh} (no {@link VdfCodec#meshProblem}), in name order. */
  public List<String> namesFor(VelocityMesh mesh) {
    List<String> out = new ArrayList<>();
    for (VdfCodec c : byName.values()) {
      if (c.meshProblem(mesh) == null) {
        out.add(c.name());
      }
    }
    return out;
  }

  public List<VdfCodec> all() {
    return Collections.unmodifiableList(new ArrayList<>(byName.values()));
  }

  private List<String> describeIds() {
    List<String> out = new ArrayList<>();
    for (VdfCodec c : byName.values()) {
      out.add(c.id() + "=" + c.name());
    }
    return out;
  }
}
