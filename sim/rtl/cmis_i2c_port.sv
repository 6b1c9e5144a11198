// The I2C side of a CMIS management interface (engines and laser sources alike): address match,
// the byte pointer, BankSelect (126) and PageSelect (127), and the read shift register. The
// parent supplies the window byte the bus will read next and sees every data byte written and
// every byte read (for clear-on-read registers).
module cmis_i2c_port (
    input  logic       clk,
    input  logic       rst_n,
    // Byte-level I2C bus from the controller.
    input  logic       t_start,
    input  logic [6:0] t_addr,
    input  logic       t_rnw,
    input  logic       t_write,
    input  logic [7:0] t_wdata,
    input  logic       t_read,
    input  logic       t_stop,
    output logic       t_ack,
    output logic [7:0] t_rdata,
    output logic       t_stretch,
    // Straps.
    input  logic [6:0] address,
    input  logic       present,
    input  logic       hold_scl,
    // The parent's window: the byte at query_offset with the current bank and page.
    output logic [7:0] query_offset,
    input  logic [7:0] next_byte,
    output logic [7:0] bank_sel,
    output logic [7:0] page_sel,
    // A data byte written by the host (after the offset byte) at write_offset.
    output logic       host_write,
    output logic [7:0] write_offset,
    output logic [7:0] write_data,
    // The host finished reading the byte at read_offset (its value: read_value).
    output logic       read_done,
    output logic [7:0] read_offset,
    output logic [7:0] read_value
);
  /* verilator no_inline_module */
  logic selected, expect_offset;
  logic [7:0] ptr;
  logic [7:0] read_byte;  // like a real target's shift register: fetched when the bus gets there

  assign query_offset = t_start ? ptr : ptr + 8'd1;
  assign host_write = t_write && selected && !expect_offset;
  assign write_offset = ptr;
  assign write_data = t_wdata;
  assign read_done = t_read && selected;
  assign read_offset = ptr;
  assign read_value = read_byte;
  assign t_rdata = selected ? read_byte : 8'h00;

  always_comb begin
    t_ack = 1'b0;
    if (t_start) t_ack = present && t_addr == address;
    else if (t_write) t_ack = selected;
    t_stretch = present && hold_scl;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      selected <= 1'b0;
      expect_offset <= 1'b0;
      ptr <= 8'h0;
      bank_sel <= 8'h0;
      page_sel <= 8'h0;
      read_byte <= 8'h00;
    end else if (t_start) begin
      selected <= present && t_addr == address;
      expect_offset <= !t_rnw;
      read_byte <= next_byte;
    end else if (t_stop) begin
      selected <= 1'b0;
    end else if (t_write && selected) begin
      if (expect_offset) begin
        ptr <= t_wdata;
        expect_offset <= 1'b0;
      end else begin
        if (ptr == 8'd126) bank_sel <= t_wdata;
        if (ptr == 8'd127) page_sel <= t_wdata;
        ptr <= ptr + 8'd1;
      end
    end else if (t_read && selected) begin
      ptr <= ptr + 8'd1;
      read_byte <= next_byte;
    end
  end
endmodule
