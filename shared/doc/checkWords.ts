/**
 * Word lists behind the PR/FAQ checks. Kept apart from the rules so they can grow without
 * touching the logic; every list is matched case-insensitively on word starts.
 */

/** Who a headline can be for. */
// prettier-ignore
export const WHO_WORDS = [
  'parent', 'famil', 'team', 'customer', 'people', 'person', 'developer', 'engineer', 'user', 'student',
  'teacher', 'doctor', 'nurse', 'patient', 'clinician', 'shopper', 'buyer', 'seller', 'owner', 'homeowner',
  'renter', 'tenant', 'landlord', 'kid', 'child', 'employee', 'worker', 'freelancer', 'creator',
  'musician', 'artist', 'writer', 'reader', 'investor', 'retailer', 'restaurant', 'manager', 'designer',
  'marketer', 'analyst', 'admin', 'operator', 'agent', 'driver', 'rider', 'traveler', 'traveller',
  'commuter', 'citizen', 'small business', 'merchant', 'founder', 'company', 'companies', 'organization',
  'organisation', 'school', 'hospital', 'clinic', 'lawyer', 'accountant', 'farmer', 'gamer', 'player',
  'fan', 'member', 'pet owner', 'cook', 'chef', 'host', 'guest', 'caregiver', 'senior', 'beginner',
  'professional', 'remote', 'anyone', 'everyone', 'you ', 'your ',
]

/** Outcomes and benefit verbs a headline can promise. */
// prettier-ignore
export const BENEFIT_WORDS = [
  'can ', 'get', 'save', 'saving', 'without', 'faster', 'quicker', 'in minutes', 'in seconds', 'never',
  'no more', 'instant', 'easier', 'easily', 'cut', 'reduce', 'free', 'less', 'more ', 'ready', 'same-day',
  'tonight', 'today', 'help', 'let', 'make', 'turn', 'keep', 'find', 'stop', 'avoid', 'protect', 'grow',
  'earn', 'learn', 'finish', 'ship', 'plan', 'cook', 'book', 'pay', 'track', 'share', 'review', 'decide',
  'fix', 'catch', 'safe', 'cheaper', 'better', 'on time', 'one tap', 'one click', 'any ', 'every',
]

/** Hype that tells the reader nothing (Amazon's writing guidance: no weasel words, no superlatives). */
// prettier-ignore
export const HYPE_WORDS = [
  'revolutionary', 'revolutionize', 'revolutionise', 'next-generation', 'next generation', 'synergy',
  'synergize', 'synergise', 'leverage', 'cutting-edge', 'cutting edge', 'disrupt', 'paradigm',
  'world-class', 'best-in-class', 'game-changing', 'game changer', 'innovative', 'seamless', 'robust',
  'groundbreaking', 'ground-breaking', 'state-of-the-art', 'bleeding-edge', 'unparalleled',
  'unprecedented', 'ai-powered', 'holistic', 'empower', 'excited to announce', 'thrilled to announce',
  'actionable insights',
]

/** Phrases that state a belief instead of evidence. */
// prettier-ignore
export const CLAIM_PHRASES = [
  'we believe', 'we think', 'we hope', 'we feel', 'we are confident', 'we are sure', 'hopefully',
  'should work', 'probably', 'best-in-class', 'world-class', 'industry-leading', 'market-leading',
  'state-of-the-art', 'the best', 'everyone will', 'customers will love', 'users will love', 'obviously',
  'clearly the', 'will transform', 'will revolutionize',
]

/** Topics an internal FAQ must cover, each recognised by any of its word starts. */
// prettier-ignore
export const INTERNAL_TOPICS: Record<string, { label: string; words: string[] }> = {
  feasibility: {
    label: 'feasibility',
    words: [
      'feasib',
      'technical',
      'technolog',
      'prototype',
      'spike',
      'architecture',
      'can we build',
      'engineering',
    ],
  },
  cost: {
    label: 'cost',
    words: [
      'cost',
      'budget',
      'invest',
      'spend',
      'margin',
      'break even',
      'breaks even',
      'revenue',
      'p&l',
      'pay back',
      'payback',
      'price',
      '$',
      '€',
      '£',
    ],
  },
  timeline: {
    label: 'timeline',
    words: [
      'timeline',
      'schedule',
      'milestone',
      'launch date',
      'deadline',
      'roadmap',
      'quarter',
      'weeks',
      'months',
      'when will',
      'when can',
      'when do',
    ],
  },
  legal: {
    label: 'legal',
    words: [
      'legal',
      'complian',
      'regulat',
      'privacy',
      'gdpr',
      'counsel',
      'contract',
      'liabil',
      'licens',
      'terms of',
      'law',
    ],
  },
  competition: {
    label: 'competition',
    words: ['compet', 'rival', 'incumbent', 'alternative', 'differentiat', 'market share', 'copy'],
  },
  risks: {
    label: 'risks',
    words: [
      'risk',
      'fail',
      'threat',
      'could go wrong',
      'mitigat',
      'cannibal',
      'assumption',
      'dependen',
      'unknown',
    ],
  },
}

/** Whether `text` contains one of `list` at a word start; returns the ones found. */
export function findWords(text: string, list: string[]): string[] {
  const lower = ' ' + text.toLowerCase().replace(/[’]/g, "'") + ' '
  return list.filter((w) => {
    const k = lower.indexOf(w)
    if (k < 0) return false
    // Symbols ($, €) match anywhere; words only at a word start.
    return !/^[\p{L}\p{N}]/u.test(w) || hasWordStart(lower, w)
  })
}

function hasWordStart(text: string, w: string): boolean {
  let k = text.indexOf(w)
  while (k >= 0) {
    if (!/[\p{L}\p{N}]/u.test(text[k - 1] ?? ' ')) return true
    k = text.indexOf(w, k + 1)
  }
  return false
}
