// Joint mode: a laser source reached only through an engine's MCU. The host addresses the engine
// and selects engine pages; laser page P (00h..1Bh) appears at engine page base + P, and the
// laser's lower page at engine page base + 0Fh, bytes 128-255 (page 0Fh is reserved in CMIS and
// ELSFP). The engine answers its own lower page; the laser answers only its window. Banks carry
// through. docs/register-map.md, "Joint mode".
package joint_window_pkg;
  localparam logic [8:0] SPAN = 9'h1C;
  localparam logic [7:0] LOWER_SLOT = 8'h0F;

  // Whether engine page `page` lies in the window that starts at `base`.
  function automatic logic in_window(input logic [7:0] base, input logic [7:0] page);
    return page >= base && {1'b0, page} < {1'b0, base} + SPAN;
  endfunction

  // Whether the laser answers window byte `offset` with engine page `page` selected.
  function automatic logic served(input logic [7:0] base, input logic [7:0] page,
                                  input logic [7:0] offset);
    return offset >= 8'd128 && in_window(base, page);
  endfunction

  // The laser page the window shows (FFh, which the laser does not serve, outside it).
  function automatic logic [7:0] laser_page(input logic [7:0] base, input logic [7:0] page);
    return in_window(base, page) ? page - base : 8'hFF;
  endfunction

  // The laser's own offset for window byte `offset`: the lower page slot shifts down by 128.
  function automatic logic [7:0] laser_offset(input logic [7:0] base, input logic [7:0] page,
                                              input logic [7:0] offset);
    return (page == base + LOWER_SLOT) ? {1'b0, offset[6:0]} : offset;
  endfunction
endpackage
