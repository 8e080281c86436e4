import { describe, expect, it } from 'vitest';
import { parseKioskConfig } from './kiosk-config';

describe('kiosk.json', () => {
  it('fills defaults and keeps what is given', () => {
    expect(parseKioskConfig({ database: 'kiosk/shop.sqlite' })).toEqual({
      title: 'SHARE · text-to-SQL correction',
      database: 'kiosk/shop.sqlite',
      databaseName: 'shop.sqlite',
      idleResetSeconds: 180,
      preset: 'fast',
      models: {},
    });
    const full = {
      title: 'T',
      database: 'kiosk/a.db',
      databaseName: 'a.db',
      idleResetSeconds: 30,
      preset: 'faithful',
      models: { bam: 'x' },
    };
    expect(parseKioskConfig(full)).toEqual(full);
  });

  it('refuses a database on another host and malformed fields, naming the field', () => {
    for (const database of ['https://evil.example/db.sqlite', '//evil.example/db', 'data:,x']) {
      expect(() => parseKioskConfig({ database })).toThrow(
        /"database" must be a path beside the page/,
      );
    }
    expect(() => parseKioskConfig({})).toThrow(/"database" must be a non-empty string/);
    expect(() => parseKioskConfig({ database: 'a.db', idleResetSeconds: 0 })).toThrow(
      /"idleResetSeconds" must be a positive number/,
    );
    expect(() => parseKioskConfig({ database: 'a.db', preset: 'turbo' })).toThrow(/"preset"/);
    expect(() => parseKioskConfig({ database: 'a.db', models: ['bam'] })).toThrow(/"models"/);
    expect(() => parseKioskConfig(null)).toThrow(/"database"/);
  });
});
