// Test cases shared by the decimal parsers' tests (parse-decimal, the MTX coordinate kernel): the hard
// tokens — halfway points, subnormals, overflow, long mantissas, Fortran exponents — and the value each
// must give.

export const HARD_DECIMALS: readonly string[] = [
  '0', '-0', '+0', '0.0e0', '1', '-1.5', '0.1', '.5', '5.', '1e23', '8.5e-323', '9007199254740993', '9007199254740992.5',
  '9007199254740993.0000000001', '2.2250738585072011e-308', '2.2250738585072012e-308', '2.2250738585072014e-308',
  '4.9e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '1e-400', '-1e-400', '1.7976931348623157e308',
  '1.7976931348623158e308', '1.7976931348623159e308', '1e400', '123456789012345678901234567890',
  '0.000000000000000000000000000000001234567890123456789', '7.3177701707893310e+15', '1.5D+03', '1.5d-3',
  '00000000000000000000000000000001', '1' + '0'.repeat(400) + 'e-400', '0.' + '0'.repeat(330) + '1e330',
  '4.4501477170144023e-308', '179769313486231580793728971405301e276', '1e22', '1e37', '123456789e30',
];

export const SPECIAL_DECIMALS: readonly string[] = ['inf', 'INF', '+Inf', 'infinity', 'Infinity', '-INFINITY', 'nan', 'NaN', '-nan', '+NAN'];

/** The value a token must give: Number(t), with inf / nan spellings and Fortran exponents. */
export function decimalValue(t: string): number {
  const l = t.toLowerCase().replace(/^[+-]/, '');
  if (l === 'nan') return NaN;
  if (l === 'inf' || l === 'infinity') return t.startsWith('-') ? -Infinity : Infinity;
  return Number(t.replace(/[dD]/, 'e'));
}
