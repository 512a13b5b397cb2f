// The floor of the simulator's load row: a node:http server that reads each request's body and
// answers a fixed JSON body of the size the simulator answers a display with, and nothing else.
import { createServer } from "node:http";

const body = JSON.stringify({
  SaleToPOIResponse: {
    MessageHeader: {
      ProtocolVersion: "3.0",
      MessageClass: "Device",
      MessageCategory: "Display",
      MessageType: "Response",
      ServiceID: "S000000001",
      SaleID: "POS1",
      POIID: "V400m-100000000",
    },
    DisplayResponse: {
      OutputResult: [{ Device: "CustomerDisplay", InfoQualify: "Display", Response: { Result: "Success" } }],
    },
  },
});

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.argv[2]), "127.0.0.1");
