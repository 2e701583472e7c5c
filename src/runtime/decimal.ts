import { Decimal as DecimalJs } from "decimal.js";

/**
 * Numbers are decimal, as a person counts money: `0.1 plus 0.2` is `0.3`.
 * A private clone keeps these settings from touching any other user of decimal.js.
 */
export const Decimal = DecimalJs.clone({ precision: 34, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type Decimal = DecimalJs;
