import { AddressAllowlist, checkAllowedCidrs, parseCidr } from './allowed-cidrs';

describe('allowed CIDRs', () => {
  it('accepts IPv4 and IPv6 ranges and single addresses, in canonical form, without duplicates', () => {
    expect(checkAllowedCidrs(['10.0.0.0/8', ' 192.168.1.7 ', '2001:0DB8:0000::/32', '::1', '10.0.0.0/8'])).toEqual({
      ok: true,
      value: ['10.0.0.0/8', '192.168.1.7/32', '2001:db8::/32', '::1/128'],
    });
    expect(checkAllowedCidrs([])).toEqual({ ok: true, value: [] });
  });

  it('refuses what is not a range, names the entry by position and never repeats it', () => {
    for (const bad of ['10.0.0.0/33', '10.1.0.0/8', '127.1', '0x7f.0.0.1', '2001:db8::/129', 'fe80::1%eth0', '', 'pk_abc', '10.0.0.0/', '10.0.0.0/08x']) {
      const result = checkAllowedCidrs(['1.2.3.4', bad]);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).toMatch(/^allowedCidrs\[1\] /);
        if (bad) expect(result.reason).not.toContain(bad);
      }
    }
  });

  it('refuses more than 50 entries', () => {
    const many = Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`);
    expect(checkAllowedCidrs(many).ok).toBe(false);
    expect(checkAllowedCidrs(many.slice(0, 50)).ok).toBe(true);
  });

  it('matches addresses of the same family, IPv4-mapped IPv6 as IPv4', () => {
    const list = AddressAllowlist.from(['203.0.113.0/24', '2001:db8::/48'])!;
    expect(list.allows('203.0.113.255')).toBe(true);
    expect(list.allows('203.0.114.0')).toBe(false);
    expect(list.allows('::ffff:203.0.113.9')).toBe(true);
    expect(list.allows('2001:db8:0:ffff::1')).toBe(true);
    expect(list.allows('2001:db8:1::1')).toBe(false);
    expect(list.allows(undefined)).toBe(false);
    expect(AddressAllowlist.from([])).toBeNull();
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ ok: true, value: '0.0.0.0/0' });
  });
});
