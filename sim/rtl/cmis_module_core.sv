// What every simulated CMIS module shares besides its I2C front end: the straps the plant sets
// (address, presence, a hung MCU holding SCL, the LPMode pin), the global controls (lower page
// byte 26, SoftwareReset included), the module fault cause (byte 41), the module power-up and
// power-down durations and the module state machine they time.
module cmis_module_core #(
    parameter int TICKS_PER_100US = 800
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [31:0] step_cycles,
    // Host writes (from cmis_i2c_port).
    input  logic        host_write,
    input  logic [7:0]  write_offset,
    input  logic [7:0]  write_data,
    // Plant side channel.
    input  logic        cfg_we,     // strap: value[6:0] address, [8] present, [9] hold SCL low,
                                    // [10] LPMode pin asserted
    input  logic        timing_we,  // index 0 ModulePwrUp, 1 ModulePwrDn (100 us units)
    input  logic        fault_we,   // value[3:0] fault cause (0 removes it)
    input  logic [15:0] plant_index,
    input  logic [15:0] plant_value,
    output logic [6:0]  address,
    output logic        present,
    output logic        hold_scl,
    output logic [7:0]  controls,     // byte 26
    output logic [3:0]  fault_cause,  // byte 41
    output logic [2:0]  state,        // byte 3 bits 3-1
    output logic        state_changed,
    // One-clock pulse when the module is pulled out (present strap falls) or software-reset:
    // its volatile state starts over.
    output logic        module_reset,
    output logic [31:0] quiet_cycles
);
  /* verilator no_inline_module */
  localparam logic [7:0] CONTROLS_RESET = 8'h40;  // LowPwrAllowRequestHW: the LPMode pin rules

  logic lpmode_pin;
  logic [15:0] power_up_100us, power_down_100us;
  wire software_reset = host_write && write_offset == 8'd26 && write_data[3];
  wire low_power_request = controls[4] || (controls[6] && lpmode_pin);
  wire removed = cfg_we && present && !plant_value[8];
  assign module_reset = software_reset || removed;

  cmis_module_fsm #(.TICKS_PER_100US(TICKS_PER_100US)) u_fsm (
      .clk, .rst_n, .step_cycles,
      .low_power_request,
      .reset_request(module_reset),
      .fault_cause,
      .power_up_100us, .power_down_100us,
      .state, .state_changed, .quiet_cycles);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      address <= 7'h50;
      present <= 1'b0;
      hold_scl <= 1'b0;
      lpmode_pin <= 1'b1;
      controls <= CONTROLS_RESET;
      fault_cause <= 4'h0;
      power_up_100us <= 16'd1;
      power_down_100us <= 16'd1;
    end else begin
      // SoftwareReset self-clears; the reset restores the volatile controls.
      if (host_write && write_offset == 8'd26) begin
        controls <= write_data[3] ? CONTROLS_RESET : write_data & 8'hF7;
      end
      if (removed) begin
        controls <= CONTROLS_RESET;
        fault_cause <= 4'h0;
      end
      if (cfg_we) begin
        address <= plant_value[6:0];
        present <= plant_value[8];
        hold_scl <= plant_value[9];
        lpmode_pin <= plant_value[10];
      end
      if (timing_we && plant_index == 16'd0) power_up_100us <= plant_value;
      if (timing_we && plant_index == 16'd1) power_down_100us <= plant_value;
      if (fault_we) fault_cause <= plant_value[3:0];
    end
  end
endmodule
