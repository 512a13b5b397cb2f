// The honest floor of the simulator's load row: what any terminal must do with a request, and no
// more. A node:http server that reads each body, JSON.parses it and JSON.stringifies an answer
// echoing the request's MessageHeader (as a Response), with no termflow code.
import { createServer } from "node:http";

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const request = JSON.parse(
      chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8"),
    );
    const header = request.SaleToPOIRequest.MessageHeader;
    const body = JSON.stringify({
      SaleToPOIResponse: {
        MessageHeader: { ...header, MessageType: "Response" },
        DisplayResponse: {
          OutputResult: [{ Device: "CustomerDisplay", InfoQualify: "Display", Response: { Result: "Success" } }],
        },
      },
    });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.argv[2]), "127.0.0.1");
