/**
 * The built-in PR/FAQ template: the press-release parts and both FAQs as headings, each with a
 * line of guidance the author writes over. The headings use the words `readOutline` recognises,
 * so a document started from it is fully mapped, and its checks read as a to-do list.
 */
export const PRFAQ_TEMPLATE = `# Headline: who gets which benefit, in words a customer would use

## Subheadline: one sentence on who it is for and what they get

**City, date** — Where and when it launches, and what it is, in one or two sentences.

## The problem

The customer's problem in their own words, with evidence: who has it, how often, and what it costs them today.

## The solution

How the product solves that problem, from the customer's point of view. No jargon, no feature list.

## Quote from a company leader

"Why we built this, and why it matters to customers," said a named leader and their title.

## How it works

The customer's experience step by step: how they start, what they do, what they get.

## Quote from a customer

"What changed for me," said a named, believable customer.

## Call to action

How a customer gets started: where, when, and at what price.

## External FAQ

### A question a customer would ask?

A direct answer. Aim for five to ten questions: price, availability, who it is for, what it does not do, data and privacy.

## Internal FAQ

### Is it technically feasible?

What exists, what is new, and how sure we are.

### What will it cost, and when does it pay back?

Build and running costs, and the numbers that must be true.

### What is the timeline?

Milestones from go to launch, and what could move them.

### What are the legal and compliance risks?

Privacy, regulation, contracts, claims we make.

### How will competitors respond?

Who could copy it, how fast, and why we still win.

### What are the biggest risks?

What would make this fail, and how we would find out early.
`
