/** The built-in PR/FAQ template: the press-release parts and both FAQs as headings, with guidance. */
export const PRFAQ_TEMPLATE = `# Headline: name the customer and the benefit

## Subheadline: one sentence on who it is for and what they get

**City, date** — Dateline: where and when this launches.

## The problem

Describe the customer's problem in their words, with evidence.

## The solution

How the product solves it, from the customer's point of view.

## Quote from a company leader

"Why we built this," said a leader.

## How it works

The customer's experience, step by step.

## Quote from a customer

"What changed for me," said a customer.

## Call to action

How the customer gets started.

## External FAQ

### A question a customer would ask?

The answer.

## Internal FAQ

### Is it technically feasible?

The answer.
`
