import { ProviderCall } from '../../src/calls/twilio/twilio-voice.client';
import { callsOfDial, findCallOfDial, firstUnclaimed, MATCH_SKEW_MS, matchWindowStart, unclaimedCall } from '../../src/calls/twilio/twilio-match';

const TENANT = '5b0d6c0e-2f6a-4f1e-9a51-6a2a0c9d8e71';
const INTERACTION = { id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', tenant_id: TENANT };
const AT = new Date('2026-03-02T15:00:10.000Z');

function call(sid: string, created: string | null): ProviderCall {
  return { sid, status: 'completed', to: '+13125550100', from: '+13125550199', dateCreated: created ? new Date(created) : null, startTime: null, endTime: null, duration: null, answeredBy: null, queueTime: null };
}

/** A Twilio client that records what it was asked and answers `calls`. */
function twilioListing(calls: ProviderCall[]) {
  const asked: { to: string; from: string; since: string }[] = [];
  return {
    asked,
    findCallsSince: async (to: string, from: string, since: Date) => {
      asked.push({ to, from, since: since.toISOString() });
      return calls;
    },
  };
}

/** A SID registry that says the SIDs in `claimedSids` are held, recording every question. */
function dbClaiming(claimedSids: string[]) {
  const queries: { tenantId: string; sid: string; exceptId: string }[] = [];
  const db = {
    sidClaimed: async (tenantId: string, sid: string, exceptId: string) => {
      queries.push({ tenantId, sid, exceptId });
      return claimedSids.includes(sid);
    },
  };
  return { queries, db };
}

describe('matching a request to what Twilio created', () => {
  it('allows 10 seconds of clock skew between our clock and Twilio', () => {
    expect(MATCH_SKEW_MS).toBe(10_000);
    expect(matchWindowStart(AT).toISOString()).toBe('2026-03-02T15:00:00.000Z');
  });

  it('takes the oldest unclaimed candidate, a candidate without creation time first, asking oldest first', async () => {
    const candidates = [call('CA3', '2026-03-02T15:00:09Z'), call('CA1', null), call('CA2', '2026-03-02T15:00:01Z')];
    const asked: string[] = [];
    const found = await firstUnclaimed(candidates, async (sid) => {
      asked.push(sid);
      return sid === 'CA1';
    });
    expect(found?.sid).toBe('CA2');
    expect(asked).toEqual(['CA1', 'CA2']);
    expect(candidates.map((c) => c.sid)).toEqual(['CA3', 'CA1', 'CA2']);
  });

  it('keeps the order Twilio listed candidates created at the same time', async () => {
    const same = '2026-03-02T15:00:05Z';
    expect((await firstUnclaimed([call('CAb', same), call('CAa', same)], async () => false))?.sid).toBe('CAb');
  });

  it('finds nothing when every candidate is claimed, and asks nothing when there is none', async () => {
    const asked: string[] = [];
    const claimedAll = async (sid: string) => {
      asked.push(sid);
      return true;
    };
    expect(await firstUnclaimed([call('CA1', '2026-03-02T15:00:01Z'), call('CA2', '2026-03-02T15:00:02Z')], claimedAll)).toBeNull();
    expect(asked).toEqual(['CA1', 'CA2']);
    expect(await firstUnclaimed([], claimedAll)).toBeNull();
    expect(asked).toEqual(['CA1', 'CA2']);
  });
});

describe('the call a dial request made', () => {
  const dial = { to: '+13125550100', from: '+13125550199', at: AT };

  it('lists the calls from and to the dialed numbers created since the request, less the skew', async () => {
    const twilio = twilioListing([call('CA1', '2026-03-02T15:00:01Z')]);
    expect((await callsOfDial(twilio, dial)).map((c) => c.sid)).toEqual(['CA1']);
    expect(twilio.asked).toEqual([{ to: '+13125550100', from: '+13125550199', since: '2026-03-02T15:00:00.000Z' }]);
  });

  it("skips a call another interaction of the tenant holds (the tenant's, this interaction excluded)", async () => {
    const { db, queries } = dbClaiming(['CA1']);
    const found = await unclaimedCall(db, INTERACTION, [call('CA2', '2026-03-02T15:00:04Z'), call('CA1', '2026-03-02T15:00:02Z')]);
    expect(found?.sid).toBe('CA2');
    expect(queries).toEqual([
      { tenantId: TENANT, sid: 'CA1', exceptId: INTERACTION.id },
      { tenantId: TENANT, sid: 'CA2', exceptId: INTERACTION.id },
    ]);
  });

  it('finds the call end to end, or null when Twilio has none', async () => {
    const twilio = twilioListing([call('CA9', '2026-03-02T15:00:03Z')]);
    expect((await findCallOfDial(twilio, dbClaiming([]).db, INTERACTION, dial))?.sid).toBe('CA9');
    const empty = dbClaiming([]);
    expect(await findCallOfDial(twilioListing([]), empty.db, INTERACTION, dial)).toBeNull();
    expect(empty.queries).toEqual([]);
  });

  it("lets Twilio's error through unchanged (each caller decides what it means)", async () => {
    const boom = Object.assign(new Error('Authenticate'), { status: 401, code: 20003 });
    const twilio = {
      findCallsSince: async () => {
        throw boom;
      },
    };
    await expect(findCallOfDial(twilio, dbClaiming([]).db, INTERACTION, dial)).rejects.toBe(boom);
  });
});
