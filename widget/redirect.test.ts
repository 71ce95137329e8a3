import { afterEach, describe, expect, it } from 'vitest';
import { submitRedirect } from './redirect.ts';

afterEach(() => document.querySelectorAll('form').forEach((form) => form.remove()));

describe('submitRedirect', () => {
  it('builds a hidden form with the fields and submits it', () => {
    let submitted: HTMLFormElement | undefined;
    const original = HTMLFormElement.prototype.submit;
    // jsdom cannot navigate: record which form the browser would have submitted.
    HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
      submitted = this;
    };
    try {
      const form = submitRedirect('http://gateway.test/sandbox/cashier/b1', 'POST', {
        bill: 'b1',
        amount: 1,
        skip: null,
        submit: 'x',
      });
      expect(submitted).toBe(form);
      expect(form.hidden).toBe(true);
      expect(form.method).toBe('post');
      expect(form.action).toBe('http://gateway.test/sandbox/cashier/b1');
      expect(Array.from(new FormData(form))).toEqual([
        ['bill', 'b1'],
        ['amount', '1'],
        ['submit', 'x'],
      ]);
    } finally {
      HTMLFormElement.prototype.submit = original;
    }
  });
});
