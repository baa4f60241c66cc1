// Moderation: quicker decisions in the queue.
