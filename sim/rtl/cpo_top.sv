// Top of the simulated CPO silicon: the PCIe BAR register block of the management unit, its I2C
// controllers, and the optical engines' CMIS targets behind them. Register map:
// docs/register-map.md. Parameters fix the largest build; the platform marks unused parts absent.
module cpo_top #(
    parameter int N_BUS = 8,
    parameter int TARGETS_PER_BUS = 4,
    parameter int ENGINES_PER_BUS = 2,  // slots 0.. are CMIS engines, the rest laser sources
    parameter int LASER_LANES = 16,
    parameter int BANKS = 8,
    parameter int SERDES_LANES = 512,
    parameter int CORE_KHZ = 8000
) (
    input  logic        clk,
    input  logic        rst_n,
    // Clock edges may stand for several core clocks (see i2c_controller): the harness passes up to
    // quiet_cycles in step_cycles and advances simulated time by that much.
    input  logic [31:0] step_cycles,
    output logic [31:0] quiet_cycles,
    // Register bus (BAR 0): a write is strobed for one clock; reads are combinational and free of
    // side effects.
    input  logic        reg_wr,
    input  logic [19:0] reg_addr,
    input  logic [31:0] reg_wdata,
    output logic [31:0] reg_rdata,
    output logic        irq,
    // Low when a clock edge with idle register and plant inputs would change no state, so the
    // harness may advance time without clocking.
    output logic        active,
    // Plant side channel: kind 0 ADC sample, 1 EEPROM byte, 2 target strap, 3 timing, 4 fault,
    // 5 bit error interval, 6 VDM sample, 7 laser physics, 8 SerDes receive source, 9 SerDes bit
    // error interval, 10 joint mode (a laser source behind an engine's MCU).
    input  logic        plant_we,
    input  logic [3:0]  plant_kind,
    input  logic [7:0]  plant_target,
    input  logic [15:0] plant_index,
    input  logic [15:0] plant_value,
    // Plant read-back (combinational) of a laser source's lane: sel 0 output power (10 uW units),
    // 1 the fibre it feeds, 2 {enabled, fibre checked}, 3 scan count; of an engine: sel 4 the
    // Activated data-path lanes of group plant_rd_lane (16 lanes), 5 their change count.
    input  logic [2:0]  plant_rd_sel,
    input  logic [7:0]  plant_rd_target,
    input  logic [3:0]  plant_rd_lane,
    output logic [15:0] plant_rdata
);
  localparam int N_TARGETS = N_BUS * TARGETS_PER_BUS;
  localparam logic [31:0] ID = 32'h43504F31;  // "CPO1"
  localparam logic [31:0] VERSION = 32'h0001_0000;
  localparam logic [19:0] R_ID = 20'h00000, R_VERSION = 20'h00004, R_SCRATCH = 20'h00008,
                          R_CAPS = 20'h0000C, R_CORE_KHZ = 20'h00010, R_IRQ_STATUS = 20'h00014,
                          R_IRQ_ENABLE = 20'h00018, R_INTL_STATUS = 20'h0001C,
                          R_INTL_ENABLE = 20'h00020;

  logic [31:0] scratch;
  logic [15:0] irq_status, irq_enable;
  logic [31:0] i2c_rdata[N_BUS];
  logic [N_BUS-1:0] i2c_done, i2c_active;
  logic [31:0] i2c_quiet[N_BUS];

  logic [N_BUS-1:0] t_start, t_rnw, t_write, t_read, t_stop, bus_ack, bus_stretch;
  logic [6:0] t_addr[N_BUS];
  logic [7:0] t_wdata[N_BUS];
  logic [7:0] bus_rdata[N_BUS];
  logic [N_TARGETS-1:0] tgt_ack, tgt_stretch, tgt_active, tgt_intl;
  // IntL as the board sees it: a laser source in joint mode has no pin of its own; its
  // engine's MCU raises the engine's.
  logic [N_TARGETS-1:0] pin_intl, tgt_joint;
  logic [1:0] tgt_joint_slot[N_TARGETS];
  logic [N_TARGETS-1:0] intl_enable;
  logic [31:0] tgt_quiet[N_TARGETS];
  logic [7:0] tgt_rdata[N_TARGETS];
  logic [15:0] tgt_power[N_TARGETS];
  logic [31:0] serdes_rdata, serdes_quiet;

  wire in_i2c = reg_addr[19:16] == 4'h1;
  wire [3:0] i2c_index = reg_addr[15:12];
  wire in_serdes = reg_addr[19:16] == 4'h4;

  serdes_block #(.LANES(SERDES_LANES)) u_serdes (
      .clk, .rst_n, .step_cycles, .quiet_cycles(serdes_quiet),
      .reg_wr(reg_wr && in_serdes), .reg_offset(reg_addr[15:0]), .reg_wdata,
      .reg_rdata(serdes_rdata),
      .source_we(plant_we && plant_kind == 4'd8),
      .error_we(plant_we && plant_kind == 4'd9),
      .plant_index, .plant_value);

  genvar b, s;
  generate
    for (b = 0; b < N_BUS; b++) begin : g_bus
      i2c_controller #(.CORE_KHZ(CORE_KHZ)) u_ctrl (
          .clk, .rst_n, .step_cycles,
          .quiet_cycles(i2c_quiet[b]),
          .reg_wr(reg_wr && in_i2c && i2c_index == 4'(b)),
          .reg_offset(reg_addr[11:0]),
          .reg_wdata,
          .reg_rdata(i2c_rdata[b]),
          .done_event(i2c_done[b]),
          .active(i2c_active[b]),
          .t_start(t_start[b]), .t_addr(t_addr[b]), .t_rnw(t_rnw[b]), .t_write(t_write[b]),
          .t_wdata(t_wdata[b]), .t_read(t_read[b]), .t_stop(t_stop[b]),
          .t_ack(bus_ack[b]), .t_rdata(bus_rdata[b]), .t_stretch(bus_stretch[b]));

      for (s = 0; s < TARGETS_PER_BUS; s++) begin : g_target
        localparam int T = b * TARGETS_PER_BUS + s;
        wire plant_sel = plant_we && plant_target == 8'(T);
        if (s < ENGINES_PER_BUS) begin : g_engine
          cmis_target #(.BANKS(BANKS), .TICKS_PER_100US(CORE_KHZ / 10)) u_oe (
              .clk, .rst_n, .step_cycles,
              .quiet_cycles(tgt_quiet[T]), .active(tgt_active[T]), .intl(tgt_intl[T]),
              .t_start(t_start[b]), .t_addr(t_addr[b]), .t_rnw(t_rnw[b]), .t_write(t_write[b]),
              .t_wdata(t_wdata[b]), .t_read(t_read[b]), .t_stop(t_stop[b]),
              .t_ack(tgt_ack[T]), .t_rdata(tgt_rdata[T]), .t_stretch(tgt_stretch[T]),
              .cfg_we(plant_sel && plant_kind == 4'd2),
              .sample_we(plant_sel && plant_kind == 4'd0),
              .eeprom_we(plant_sel && plant_kind == 4'd1),
              .timing_we(plant_sel && plant_kind == 4'd3),
              .fault_we(plant_sel && plant_kind == 4'd4),
              .error_we(plant_sel && plant_kind == 4'd5),
              .vdm_we(plant_sel && plant_kind == 4'd6),
              .joint_we(plant_sel && plant_kind == 4'd10),
              .plant_index, .plant_value,
              .lanes_activated(oe_activated), .activated_changes(oe_changes));
          logic [BANKS*8-1:0] oe_activated;
          logic [15:0] oe_changes;
          assign tgt_power[T] = plant_rd_sel == 3'd5 ? oe_changes
                              : 16'(oe_activated >> (16 * int'(plant_rd_lane[1:0])));
          assign tgt_joint[T] = 1'b0;
          assign tgt_joint_slot[T] = 2'd0;
        end else begin : g_laser
          elsfp_target #(.LANES(LASER_LANES), .TICKS_PER_100US(CORE_KHZ / 10)) u_els (
              .clk, .rst_n, .step_cycles,
              .quiet_cycles(tgt_quiet[T]), .active(tgt_active[T]), .intl(tgt_intl[T]),
              .t_start(t_start[b]), .t_addr(t_addr[b]), .t_rnw(t_rnw[b]), .t_write(t_write[b]),
              .t_wdata(t_wdata[b]), .t_read(t_read[b]), .t_stop(t_stop[b]),
              .t_ack(tgt_ack[T]), .t_rdata(tgt_rdata[T]), .t_stretch(tgt_stretch[T]),
              .cfg_we(plant_sel && plant_kind == 4'd2),
              .sample_we(plant_sel && plant_kind == 4'd0),
              .eeprom_we(plant_sel && plant_kind == 4'd1),
              .timing_we(plant_sel && plant_kind == 4'd3),
              .fault_we(plant_sel && plant_kind == 4'd4),
              .laser_we(plant_sel && plant_kind == 4'd7),
              .joint_we(plant_sel && plant_kind == 4'd10),
              .plant_index, .plant_value,
              .rd_sel(plant_rd_sel[1:0]), .rd_lane(plant_rd_lane), .rd_out(tgt_power[T]),
              .joint(tgt_joint[T]), .joint_slot(tgt_joint_slot[T]));
        end
      end

      // Open-drain bus: only the selected target drives data; an acknowledge or a held clock
      // from any target is seen by the controller.
      always_comb begin
        bus_rdata[b] = 8'h00;
        for (int i = 0; i < TARGETS_PER_BUS; i++) bus_rdata[b] |= tgt_rdata[b * TARGETS_PER_BUS + i];
      end
      assign bus_ack[b] = |tgt_ack[b * TARGETS_PER_BUS +: TARGETS_PER_BUS];

      assign bus_stretch[b] = |tgt_stretch[b * TARGETS_PER_BUS +: TARGETS_PER_BUS];
    end
  endgenerate

  always_comb begin
    reg_rdata = 32'h0;
    if (in_i2c) begin
      if (int'(i2c_index) < N_BUS) reg_rdata = i2c_rdata[i2c_index[$clog2(N_BUS)-1:0]];
    end else if (in_serdes) begin
      reg_rdata = serdes_rdata;
    end else begin
      case (reg_addr)
        R_ID: reg_rdata = ID;
        R_VERSION: reg_rdata = VERSION;
        R_SCRATCH: reg_rdata = scratch;
        R_CAPS: reg_rdata = {8'h0, 8'(BANKS), 8'(TARGETS_PER_BUS), 8'(N_BUS)};
        R_CORE_KHZ: reg_rdata = 32'(CORE_KHZ);
        R_IRQ_STATUS: reg_rdata = {16'h0, irq_status};
        R_IRQ_ENABLE: reg_rdata = {16'h0, irq_enable};
        R_INTL_STATUS: reg_rdata = 32'(pin_intl);
        R_INTL_ENABLE: reg_rdata = 32'(intl_enable);
        default: reg_rdata = 32'h0;
      endcase
    end
  end

  always_comb begin
    plant_rdata = 16'h0;
    for (int i = 0; i < N_TARGETS; i++) begin
      if (plant_rd_target == 8'(i)) plant_rdata = tgt_power[i];
    end
  end

  always_comb begin
    pin_intl = tgt_intl & ~tgt_joint;
    for (int t = 0; t < N_TARGETS; t++) begin
      if (tgt_joint[t]) begin
        pin_intl[(t / TARGETS_PER_BUS) * TARGETS_PER_BUS + int'(tgt_joint_slot[t])] |= tgt_intl[t];
      end
    end
  end

  assign irq = |(irq_status & irq_enable) || |(pin_intl & intl_enable);
  assign active = |i2c_active || |tgt_active || serdes_quiet != 32'hFFFF_FFFF;
  always_comb begin
    quiet_cycles = serdes_quiet;
    for (int i = 0; i < N_BUS; i++) begin
      if (i2c_quiet[i] < quiet_cycles) quiet_cycles = i2c_quiet[i];
    end
    for (int i = 0; i < N_TARGETS; i++) begin
      if (tgt_quiet[i] < quiet_cycles) quiet_cycles = tgt_quiet[i];
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      scratch <= 32'h0;
      irq_status <= 16'h0;
      irq_enable <= 16'h0;
      intl_enable <= '0;
    end else begin
      // Write-one-to-clear, then latch this cycle's events (an event wins over a clear).
      irq_status <= (irq_status & ~((reg_wr && reg_addr == R_IRQ_STATUS) ? reg_wdata[15:0] : 16'h0))
                    | 16'(i2c_done);
      if (reg_wr && reg_addr == R_SCRATCH) scratch <= reg_wdata;
      if (reg_wr && reg_addr == R_IRQ_ENABLE) irq_enable <= reg_wdata[15:0];
      if (reg_wr && reg_addr == R_INTL_ENABLE) intl_enable <= reg_wdata[N_TARGETS-1:0];
    end
  end
endmodule
