package io.vdfc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vdfc.testing.SharedData;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class VlasiatorConfigTest {

  @Test
  void readsTheRealIpShockConfig() throws Exception {
    var file = SharedData.file("ipshock/IPShock_1D_small.cfg");
    VlasiatorConfig cfg = VlasiatorConfig.parse(file);
    assertEquals(file.toString(), cfg.source()); // as given: many run directories hold a file of the same name
    assertEquals(List.of("proton"), cfg.populations());
    assertEquals(1e-16, cfg.minValue("proton"));
    assertEquals(1.0, cfg.mass("proton"));
    assertEquals("IPShock", cfg.get("project"));
    assertEquals("-8.04e6", cfg.get("proton_vspace.vx_min"));
    assertEquals("67", cfg.get("proton_vspace.vx_length"));
    // inline comment stripped
    assertEquals("100000", cfg.get("io.restart_walltime_interval"));
    // composing keys keep every value in order
    assertEquals(List.of("Outflow", "Maxwellian"), cfg.getAll("boundaries.boundary"));
    assertEquals(13, cfg.getAll("variables.output").size());
    assertEquals("populations_vg_rho", cfg.getAll("variables.output").get(0));
    // a commented-out key is absent
    assertFalse(cfg.has("io.restart_write_t_interval"));
    // line numbers are those of the file
    List<String> lines = Files.readAllLines(file);
    int line = cfg.line("proton_sparse.minValue");
    assertTrue(lines.get(line - 1).strip().startsWith("minValue"), lines.get(line - 1));
    assertTrue(cfg.keys().contains("proton_IPShock.Temperatured"));
  }

  @Test
  void globalKeysSectionsCommentsAndDefaults() {
    String text = """
        # header comment
        ParticlePopulations = proton   # inline
        ParticlePopulations = electron
        [proton_properties]
        mass = 1
        [electron_properties]
        mass = 1
        mass_units = ELECTRON
        [electron_sparse]
          minValue   =   2.5e-20
        [empty]
        key =
        """;
    VlasiatorConfig cfg = VlasiatorConfig.parse(text, "t.cfg");
    assertEquals(List.of("proton", "electron"), cfg.populations());
    assertEquals(VlasiatorConfig.DEFAULT_MIN_VALUE, cfg.minValue("proton"));
    assertEquals(2.5e-20, cfg.minValue("electron"));
    assertEquals(1 / 1836.15267343, cfg.mass("electron"), 1e-15);
    assertEquals("", cfg.get("empty.key"));
    assertEquals(3, cfg.line("ParticlePopulations"));
    assertEquals(0, cfg.line("nothing"));
    assertNull(cfg.get("nothing"));
    assertEquals(List.of(), cfg.getAll("nothing"));
    assertNull(cfg.directory());
  }

  @Test
  void malformedLinesNameFileAndLine() {
    assertError("a = 1\njunk line\n", "t.cfg:2: expected 'key = value'");
    assertError("[ok]\n[broken\n", "t.cfg:2: malformed section header '[broken'");
    assertError("[]\n", "t.cfg:1: malformed section header");
    assertError("x = 1\n = 3\n", "t.cfg:2: missing key");
  }

  @Test
  void badPopulationValuesNameKeyAndLine() {
    VlasiatorConfig cfg = VlasiatorConfig.parse(
        "[proton_sparse]\nminValue = small\n[p2_sparse]\nminValue = -1\n[proton_properties]\nmass = 1\nmass_units = KG\n", "t.cfg");
    var e = assertThrows(ConfigException.class, () -> cfg.minValue("proton"));
    assertEquals("t.cfg:2: key 'proton_sparse.minValue' = 'small' is not a number", e.getMessage());
    assertEquals(2, e.line());
    assertTrue(assertThrows(ConfigException.class, () -> cfg.minValue("p2")).getMessage().startsWith("t.cfg:4: "));
    assertTrue(assertThrows(ConfigException.class, () -> cfg.mass("proton")).getMessage()
        .contains("t.cfg:7: key 'proton_properties.mass_units' = 'KG' is unknown; allowed: PROTON, ELECTRON"));
    assertTrue(assertThrows(ConfigException.class, () -> cfg.mass("p2")).getMessage()
        .contains("'p2_properties.mass' is missing"));
  }

  private static void assertError(String text, String expectedStart) {
    var e = assertThrows(ConfigException.class, () -> VlasiatorConfig.parse(text, "t.cfg"));
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
  }
}
