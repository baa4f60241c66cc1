// Comments: reply in place, preview, drafts kept in the browser.
