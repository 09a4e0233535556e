/** Types for `password-sheriff@2` (Auth0's password-policy library; it ships none). */
declare module 'password-sheriff' {
  /** One rule's verdict, as `missing()` answers and Auth0's sign-up error carries it. */
  export interface SheriffRule {
    message: string;
    format?: Array<string | number>;
    code: string;
    verified: boolean;
    items?: SheriffRule[];
  }
  export interface SheriffPolicy {
    check(password: string): boolean;
    missing(password: string): { rules: SheriffRule[]; verified: boolean };
    explain(): Array<Omit<SheriffRule, 'verified'>>;
    toString(): string;
  }
  /** The policy of Auth0's level `name` (`none`, `low`, `fair`, `good`, `excellent`). */
  function createPolicy(name: string): SheriffPolicy;
  export default createPolicy;
}
