/**
 * 领导批示: the instruction workflow (`instruction:{id}`) mails an owed answer's reminders and escalation
 * (libs/domain `instructionSteps`) until every owing unit has answered; the API signals it on each answer.
 */
import { defineSignal } from '@temporalio/workflow';
import type { InstructionStep } from '#domain';

export function instructionWorkflowId(instructionId: string): string {
  return `instruction:${instructionId}`;
}

export interface InstructionWorkflowInput {
  instructionId: string;
}

/** How the workflow ended: every answer given, or the last step (the 督查室 told) reached; nothing owed from the start. */
export interface InstructionWorkflowResult {
  outcome: 'answered' | 'escalated' | 'nothing_owed';
  /** The steps whose mail went (or was already in the ledger). */
  steps: InstructionStep[];
}

/** An owing unit answered: the workflow counts what is still owed, and ends when nothing is. */
export const instructionAnsweredSignal = defineSignal<[]>('instructionAnswered');

export interface InstructionActivities {
  /** The reminders' steps and instants of an instruction (none for a bare 阅 or one no longer stored). */
  instructionSchedule(input: { instructionId: string }): Promise<{ steps: { step: InstructionStep; at: string }[] }>;
  /**
   * Mails a step to whoever it names, for the units still owing (each send ledgered under its own key), or
   * only counts them (no step). Answers the number of tasks whose answer is still owed.
   */
  instructionStep(input: { instructionId: string; step?: InstructionStep }): Promise<{ owed: number; sent: number }>;
}
