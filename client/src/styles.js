// The overlay's CSS, scoped to its Shadow DOM root.
export const CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, Segoe UI, sans-serif; }
.hl { position: fixed; border: 2px solid #3b82f6; background: rgba(59,130,246,.12); pointer-events: none; display: none; border-radius: 2px; }
.hl-label { position: fixed; background: #1e293b; color: #fff; font-size: 12px; padding: 2px 6px; border-radius: 3px; pointer-events: none; display: none; white-space: nowrap; max-width: 90vw; overflow: hidden; text-overflow: ellipsis; }
.hl-label small { color: #cbd5e1; margin-left: 6px; }
.badge { position: fixed; width: 20px; height: 20px; border-radius: 10px; color: #fff; font-size: 11px; font-weight: 600; display: flex; align-items: center; justify-content: center; pointer-events: auto; cursor: pointer; box-shadow: 0 1px 3px rgba(0,0,0,.4); border: 2px solid #fff; }
.badge.queued { border-style: dashed; border-color: #fde68a; opacity: .85; cursor: default; }
.tray { position: fixed; left: 16px; bottom: 16px; max-width: 50vw; display: none; align-items: center; gap: 6px; flex-wrap: wrap; background: #0f172a; color: #e2e8f0; border-radius: 16px; padding: 4px 10px; font-size: 12px; pointer-events: auto; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
.tray .badge { position: static; }
.panel { position: fixed; width: 380px; max-height: 70vh; overflow: auto; background: #fff; color: #0f172a; border-radius: 8px; box-shadow: 0 8px 30px rgba(0,0,0,.3); padding: 12px; font-size: 13px; pointer-events: auto; }
.panel h3 { margin: 0 0 6px; font-size: 15px; }
.muted { color: #64748b; font-size: 12px; word-break: break-all; }
.row { margin: 6px 0; }
.shot img { display: block; max-width: 100%; max-height: 120px; border: 1px solid #e2e8f0; margin-bottom: 4px; }
textarea { width: 100%; min-height: 70px; font-size: 13px; padding: 6px; border: 1px solid #cbd5e1; border-radius: 4px; resize: vertical; }
button { font-size: 12px; padding: 4px 10px; margin: 4px 4px 0 0; border-radius: 4px; border: 1px solid #cbd5e1; background: #f8fafc; cursor: pointer; }
button.primary { background: #3b82f6; color: #fff; border-color: #3b82f6; }
.status { display: inline-block; padding: 1px 6px; border-radius: 8px; color: #fff; font-size: 11px; }
.answer { display: inline-block; margin-left: 6px; font-size: 12px; font-weight: 600; }
.answer.approved { color: #15803d; } .answer.rejected { color: #b91c1c; }
.writing { color: #7c3aed; font-size: 12px; margin-left: 6px; }
.reply { margin: 4px 0; padding: 4px 6px; border-radius: 4px; background: #f1f5f9; white-space: pre-wrap; }
.reply.agent { background: #ede9fe; }
pre.diff { font-family: ui-monospace, monospace; font-size: 12px; background: #0f172a; color: #e2e8f0; padding: 6px; border-radius: 4px; overflow: auto; margin: 6px 0; }
pre.diff span { display: block; white-space: pre; }
.add { color: #86efac; } .del { color: #fca5a5; } .hunk { color: #c4b5fd; } .meta { color: #94a3b8; }
.fab { position: fixed; right: 16px; bottom: 16px; width: 36px; height: 36px; border-radius: 18px; background: #0f172a; color: #fff; display: flex; align-items: center; justify-content: center; pointer-events: auto; cursor: pointer; font-size: 16px; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
.fab.inspecting { background: #3b82f6; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 4px; margin-right: 6px; }
.toast { position: fixed; left: 50%; transform: translateX(-50%); bottom: 16px; background: #b91c1c; color: #fff; padding: 8px 12px; border-radius: 6px; font-size: 13px; pointer-events: auto; display: none; max-width: 80vw; }
.conn { position: absolute; right: -2px; top: -2px; width: 10px; height: 10px; border-radius: 5px; background: #ef4444; border: 2px solid #fff; }
.conn.up { background: #22c55e; }
ul { margin: 4px 0; padding-left: 18px; }
kbd { font-family: ui-monospace, monospace; background: #f1f5f9; border: 1px solid #cbd5e1; border-radius: 3px; padding: 0 3px; font-size: 11px; }
`;
