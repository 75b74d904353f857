// A run's live text as it grows: whole while it fits, then its start and a note, never more than
// the limit, and never half a character.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LiveText } from '../../src/providers/liveText';

describe('LiveText', () => {
  it('is the whole text while it fits', () => {
    const live = new LiveText(10);
    live.append('Bon');
    live.append('jour');
    assert.equal(live.text, 'Bonjour');
  });

  it('then keeps its start and ends with the size of all it received', () => {
    const live = new LiveText(60);
    for (let i = 0; i < 100; i++) live.append('0123456789');
    assert.equal(live.text, `${'0123456789'.repeat(2)}0123456\n… [truncated: 1000 bytes in all]`);
    assert.equal(live.text.length, 60);
  });

  it('property: at most the limit, the start of what was sent, whole when it fits, no half surrogate', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { maxLength: 20 }), fc.integer({ min: 45, max: 200 }), (chunks, max) => {
        const live = new LiveText(max);
        for (const chunk of chunks) live.append(chunk);
        const all = chunks.join('');
        if (all.length <= max) return assert.equal(live.text, all);
        const [kept = '', note] = live.text.split('\n…');
        assert.ok(live.text.length <= max);
        assert.ok(all.startsWith(kept));
        assert.ok(!/[\ud800-\udbff]$/.test(kept), 'no half surrogate at the cut');
        assert.equal(note, ` [truncated: ${Buffer.byteLength(all)} bytes in all]`);
      }),
    );
  });
});
