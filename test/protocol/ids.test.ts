import assert from "node:assert/strict";
import { createIdSource, isServiceId } from "../../protocol/index.js";

describe("protocol/ids", () => {
  it("makes ServiceIDs of exactly 10 alphanumerics", () => {
    const ids = createIdSource();
    for (let i = 0; i < 1000; i++) {
      const id = ids.serviceId("V400m-1");
      assert.match(id, /^[A-Za-z0-9]{10}$/);
      assert.ok(isServiceId(id));
    }
  });

  it("never repeats a ServiceID for one POIID, even from a seed", () => {
    const ids = createIdSource({ seed: 7 });
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(ids.serviceId("V400m-1"));
    assert.equal(seen.size, 5000);
  });

  it("gives the same ids for the same seed and different ids for another seed", () => {
    const take = (seed: number | string) => {
      const ids = createIdSource({ seed });
      return [ids.serviceId("P1"), ids.sessionId(), ids.transactionId(), ids.serviceId("P1")];
    };
    assert.deepEqual(take(42), take(42));
    assert.deepEqual(take("table-7"), take("table-7"));
    assert.notDeepEqual(take(42), take(43));
  });

  it("gives unseeded sources independent ids", () => {
    assert.notEqual(createIdSource().serviceId("P1"), createIdSource().serviceId("P1"));
  });
});
