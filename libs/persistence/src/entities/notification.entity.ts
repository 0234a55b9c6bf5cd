/**
 * The notification ledger: one row per intended email, unique by its
 * idempotency key. A send is declared done only once recorded here, so a
 * retried activity finds the row and does not mail again.
 */
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { NotificationKind, NotificationStatus } from '#contracts';

@Entity({ name: 'notification' })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'idempotency_key', type: 'text', unique: true })
  idempotencyKey!: string;

  @Column({ type: 'text' })
  kind!: NotificationKind;

  @Column({ name: 'cycle_id', type: 'text', nullable: true })
  cycleId!: string | null;

  @Column({ type: 'integer', default: 1 })
  items!: number;

  @Column({ name: 'working_day', type: 'date', nullable: true })
  workingDay!: string | null;

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ type: 'text' })
  subject!: string;

  /** The body as sent (kept so that a failed message can be resent unchanged). */
  @Column({ name: 'body_text', type: 'text', nullable: true })
  bodyText!: string | null;

  @Column({ name: 'body_html', type: 'text', nullable: true })
  bodyHtml!: string | null;

  @Column({ type: 'text', nullable: true })
  language!: string | null;

  @Column({ type: 'text' })
  status!: NotificationStatus;

  /** How many times an admin resent it after it failed. */
  @Column({ type: 'integer', default: 0 })
  resends!: number;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  /** The SMTP server's final answer, e.g. "250 OK: queued as …". */
  @Column({ name: 'smtp_response', type: 'text', nullable: true })
  smtpResponse!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** While set in the future, one attempt is talking to SMTP; others wait. */
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
