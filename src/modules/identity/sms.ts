import type { Logger } from "pino";

/** Sends one-time codes. Real providers (Aliyun SMS, Tencent Cloud SMS) implement this interface. */
export interface SmsProvider {
  readonly name: string;
  sendCode(phone: string, code: string, purpose: string): Promise<void>;
}

/**
 * The development provider: writes the code to the server log, and remembers it so the dev store page
 * and tests can read it. Never used when a real provider is configured.
 */
export class DevSmsProvider implements SmsProvider {
  readonly name = "dev";
  private last = new Map<string, string>();
  constructor(private readonly log?: Logger) {}
  async sendCode(phone: string, code: string, purpose: string): Promise<void> {
    this.last.set(phone, code);
    this.log?.info({ phone, code, purpose }, `[dev sms] login code for ${phone}: ${code}`);
  }
  lastCode(phone: string): string | undefined {
    return this.last.get(phone);
  }
}
