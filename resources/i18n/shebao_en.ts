<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>AboutBox</name>
    <message>
        <location filename="../../desktop/ui/doctor_dialog.py" line="+132"/>
        <source>关于社保经办桌面</source>
        <translation>About Shebao Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;社保经办桌面 Shebao Desk&lt;/b&gt;&lt;br&gt;版本 {version}（数据库结构 {schema}）&lt;br&gt;社会保险经办机构离线桌面程序</source>
        <translation>&lt;b&gt;Shebao Desk 社保经办桌面&lt;/b&gt;&lt;br&gt;Version {version} (database schema {schema})&lt;br&gt;Offline desktop program for social insurance offices</translation>
    </message>
</context>
<context>
    <name>ApprovalsDialog</name>
    <message>
        <location filename="../../desktop/ui/approvals_dialog.py" line="+181"/>
        <source>已批准申请#{id}：{what}</source>
        <translation>Approved request #{id}: {what}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>请填写退回原因</source>
        <translation>Enter the reason for sending it back</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>已退回申请#{id}</source>
        <translation>Sent back request #{id}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>审批申请</source>
        <translation>Approve requests</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待审批的申请</source>
        <translation>Requests waiting for approval</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>我提交的申请</source>
        <translation>My requests</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>只看待审批</source>
        <translation>Waiting only</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退回原因</source>
        <translation>Reason for sending back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批准(&amp;A)</source>
        <translation>&amp;Approve</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退回(&amp;R)</source>
        <translation>Send &amp;back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新(&amp;F)</source>
        <translation>Re&amp;fresh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ApprovalsModel</name>
    <message>
        <location line="-174"/>
        <source>作废文书</source>
        <translation>Void a document</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>更正缴费工资</source>
        <translation>Correct a contribution wage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>出具参保证明</source>
        <translation>Issue a certificate of coverage</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已批准（{by}）</source>
        <translation>Approved ({by})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已退回（{by}：{note}）</source>
        <translation>Sent back ({by}: {note})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待审批</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>事项</source>
        <translation>Request</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>申请人</source>
        <translation>Requested by</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>窗口</source>
        <translation>Counter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>申请时间</source>
        <translation>Requested at</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <location filename="../../desktop/ui/audit_dialog.py" line="+174"/>
        <source>正在核验审计记录…</source>
        <translation>Checking the audit trail…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>核验未通过：{reason}。请立即报告主管，并从备份核对。</source>
        <translation>Verification failed: {reason}. Report it to a supervisor now and check against a backup.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>审计记录被改动：{reason}。请立即报告主管，并从备份核对。</source>
        <translation>The audit trail was altered: {reason}. Report it to a supervisor at once and compare it with a backup.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>审计记录</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重新核验(&amp;V)</source>
        <translation>&amp;Verify again</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参保人(&amp;P)</source>
        <translation>&amp;Person</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>经办人(&amp;C)</source>
        <translation>&amp;Clerk</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>从(&amp;F)</source>
        <translation>&amp;From</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>至(&amp;T)</source>
        <translation>&amp;To</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>年-月-日</source>
        <translation>yyyy-mm-dd</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查询(&amp;Q)</source>
        <translation>&amp;Query</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修改记录(&amp;1)</source>
        <translation>Changes (&amp;1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查阅记录(&amp;2)</source>
        <translation>Views (&amp;2)</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <location line="-170"/>
        <source>新增</source>
        <translation>Added</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>修改</source>
        <translation>Changed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>删除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批量新增</source>
        <translation>Added in bulk</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>事件</source>
        <translation>Event</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>窗口</source>
        <translation>Counter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>数据表</source>
        <translation>Table</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>变更内容</source>
        <translation>Changes</translation>
    </message>
</context>
<context>
    <name>BalanceChart</name>
    <message>
        <location filename="../../desktop/ui/retirement_panel.py" line="+58"/>
        <source>无测算数据</source>
        <translation>No estimate</translation>
    </message>
</context>
<context>
    <name>BatchPrintDialog</name>
    <message>
        <location filename="../../desktop/ui/documents.py" line="+232"/>
        <source>批量打印参保缴费证明</source>
        <translation>Print contribution statements in bulk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部参保人(&amp;A)</source>
        <translation>&amp;All insured people</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>每行一个身份证号码或社会保障号码</source>
        <translation>One ID number or social security number per line</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>选择(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>开始(&amp;S)</source>
        <translation>&amp;Start</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>保存到：</source>
        <translation>Save to:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>保存到</source>
        <translation>Save to</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>请填写参保人，或选择全部参保人</source>
        <translation>Enter the people, or choose all insured people</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>正在打印参保缴费证明…</source>
        <translation>Printing contribution statements…</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>已生成 %n 份，保存在 </source>
        <translation>
            <numerusform>%n document made, saved in </numerusform>
            <numerusform>%n documents made, saved in </numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CaseModel</name>
    <message>
        <location filename="../../desktop/ui/transfer_list_dialog.py" line="+105"/>
        <source>（估算）</source>
        <translation> (estimated)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&#x3000;已超期</source>
        <translation>  overdue</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>纸质办理</source>
        <translation>On paper</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>同步文件办理</source>
        <translation>Through sync files</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>编号</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>转出地</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>转入地</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办理时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
</context>
<context>
    <name>ConflictsModel</name>
    <message>
        <location filename="../../desktop/ui/sync_dialog.py" line="+155"/>
        <source>参保人</source>
        <translation>Insured person</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>用人单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>缴费记录</source>
        <translation>Contributions</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>城乡居民缴费</source>
        <translation>Resident contribution</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转移接续</source>
        <translation>Transfer case</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>记录类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>胜出方</source>
        <translation>Winner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>落选方</source>
        <translation>Loser</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>发现时间</source>
        <translation>Found</translation>
    </message>
</context>
<context>
    <name>CoverageRegisterDialog</name>
    <message>
        <location filename="../../desktop/ui/coverage_register_dialog.py" line="+34"/>
        <source>参保证明登记簿与统计</source>
        <translation>Certificates of coverage: register and statistics</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部国家</source>
        <translation>All countries</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>全部年度</source>
        <translation>All years</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>证明编号</source>
        <translation>Certificate No.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>国家</source>
        <translation>Country</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>起始</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>截止</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>出具日期</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>协定国</source>
        <translation>Partner country</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>受雇人员</source>
        <translation>Employees</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自雇人员</source>
        <translation>Self-employed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>登记簿(&amp;R)</source>
        <translation>&amp;Register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统计(&amp;S)</source>
        <translation>&amp;Statistics</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出CSV(&amp;C)…</source>
        <translation>Save &amp;CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出PDF(&amp;P)…</source>
        <translation>Save &amp;PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>国家：</source>
        <translation>Country:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>年度：</source>
        <translation>Year:</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>已撤销</source>
        <translation>withdrawn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提前终止 </source>
        <translation>ended early </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>有效</source>
        <translation>valid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自雇</source>
        <translation>self-employed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>受雇</source>
        <translation>employee</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（延期）</source>
        <translation> (extension)</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>共 %n 份证明</source>
        <translation>
            <numerusform>%n certificate(s)</numerusform>
            <numerusform>%n certificate(s)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出统计</source>
        <translation>Save statistics</translation>
    </message>
</context>
<context>
    <name>DamageDialog</name>
    <message>
        <location filename="../../desktop/ui/damage_dialog.py" line="+108"/>
        <source>选择存放备份的文件夹</source>
        <translation>Choose the folder that holds the backups</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>正在查找备份和同步文件…</source>
        <translation>Looking for backups and sync files…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>没有找到本机构的备份：请在上面选择存放备份的文件夹。</source>
        <translation>No backup of this office was found: choose the folder that holds the backups above.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>制作于 {when}</source>
        <translation>made {when}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>找不到与此备份相符的备份密钥：{key}</source>
        <translation>No backup key matching this backup: {key}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>（{n} 项变更）</source>
        <translation>({n} changes)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>恢复后重新导入的同步文件（{n} 个）</source>
        <translation>Sync files imported again after the restore ({n})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>同步文件的导入记录已无法读取：以上是在保存的同步文件中找到的、备份之后制作的文件。</source>
        <translation>The register of imported sync files cannot be read: these are the kept sync files made after the backup.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>备份之后本机构已通过同步文件发往 {offices} 的 {n} 项修改不会丢失：恢复后请对方发送完整同步文件（shebao sync export --full --to {office}），导入即可取回。</source>
        <translation>The {n} changes this office sent to {offices} in sync files after the backup are not lost: after the restore, ask for a full sync file (shebao sync export --full --to {office}) and import it to get them back.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>将会丢失：备份之后在本机记录、没有通过同步文件发出的修改</source>
        <translation>Would be lost: changes recorded here after the backup that no sync file carried away</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>无法得知（数据库中的相关记录已无法读取：{reason}）</source>
        <translation>Cannot be known (the records that would tell cannot be read: {reason})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>共 {n} 项：{kinds}</source>
        <translation>{n} in all: {kinds}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>涉及 {n} 人：{people}</source>
        <translation>{n} people: {people}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>等</source>
        <translation> and others</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>其中 {n} 项的人员无法读取（所在记录已损坏）</source>
        <translation>of them {n} name a person who cannot be read (their records are damaged)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>审计记录已无法读取，其他种类的修改无法得知：{reason}</source>
        <translation>The audit trail cannot be read, so other kinds of changes cannot be known: {reason}</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+7"/>
        <source>正在从备份恢复…</source>
        <translation>Restoring from the backup…</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>正在重新导入同步文件…</source>
        <translation>Importing the sync files again…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>已从备份恢复</source>
        <translation>Restored from the backup</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已恢复备份 {file}（制作于 {when}）。</source>
        <translation>Restored the backup {file} (made {when}).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>损坏的数据库另存为 {path}</source>
        <translation>The damaged database is kept as {path}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已重新导入 {name}：{n} 项变更</source>
        <translation>Imported {name} again: {n} changes</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} 未导入：{reason}</source>
        <translation>{name} not imported: {reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>恢复后的数据中没有您的账号，同步文件尚未导入：请以恢复后的账号登录后在 文件 → 同步 中导入。</source>
        <translation>The restored data has no account of yours, so the sync files were not imported: sign in with a restored account and import them in File → Sync.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>有 {n} 个同步文件未找到：请向发件机构索取完整同步文件。</source>
        <translation>{n} sync files were not found: ask the offices that sent them for a full sync file.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>本机构已发出的修改（序号 {first}–{last}）请对方发送完整同步文件取回。</source>
        <translation>This office&apos;s changes that were sent out (numbers {first}–{last}) come back in a full sync file from the office that received them.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>数据库已损坏 — 社保经办桌面</source>
        <translation>Database damaged — Shebao Desk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>数据库文件已损坏</source>
        <translation>The database file is damaged</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>检查发现数据库文件有损坏。为免损坏扩大，本程序不再向其写入任何数据。可以从最近的备份恢复，再重新导入此后收到的同步文件；也可以只读打开，查看仍能读出的数据。</source>
        <translation>The check found damage in the database file. So that the damage does not spread, nothing more is written to it. You can restore the newest backup and import the sync files received since, or open it read-only to look at what can still be read.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>……另有 {n} 处</source>
        <translation>… and {n} more</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SQLite 报告：</source>
        <translation>SQLite reports:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>备份文件夹(&amp;F)</source>
        <translation>Backup &amp;folder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重新查找</source>
        <translation>Look again</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>恢复(&amp;R)</source>
        <translation>&amp;Restore</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>只读打开(&amp;O)</source>
        <translation>&amp;Open read-only</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>继续(&amp;C)</source>
        <translation>&amp;Continue</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <location filename="../../desktop/ui/pickers.py" line="+248"/>
        <source>yyyy-MM-dd，可不填</source>
        <translation>yyyy-MM-dd, optional</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>从日历选择（Alt+↓）</source>
        <translation>Pick from the calendar (Alt+Down)</translation>
    </message>
</context>
<context>
    <name>DifferencesModel</name>
    <message>
        <location filename="../../desktop/ui/sync_dialog.py" line="+20"/>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>胜出的值</source>
        <translation>Winning value</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>落选的值</source>
        <translation>Losing value</translation>
    </message>
</context>
<context>
    <name>DoctorDialog</name>
    <message>
        <location filename="../../desktop/ui/doctor_dialog.py" line="-56"/>
        <location line="+1"/>
        <source>系统检查</source>
        <translation>Installation check</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>检查项</source>
        <translation>Check</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>说明</source>
        <translation>Found</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>处理办法</source>
        <translation>What to do</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重新检查(&amp;R)</source>
        <translation>Check &amp;again</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>一切正常</source>
        <translation>Everything is in order</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{problems} 个问题，{warnings} 处需注意</source>
        <translation>{problems} problems, {warnings} warnings</translation>
    </message>
</context>
<context>
    <name>DocumentPreviewDialog</name>
    <message>
        <location filename="../../desktop/ui/documents.py" line="-188"/>
        <location line="+6"/>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>（副本）</source>
        <translation> (copy)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <location line="+5"/>
        <source>共 %n 页</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
    <message>
        <location line="-4"/>
        <source>验证码已打印在每页底部</source>
        <translation>The verification code is printed at the foot of every page</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>打印(&amp;P)…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>另存为PDF(&amp;S)…</source>
        <translation>&amp;Save as PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+31"/>
        <location line="+105"/>
        <source>预览稿，未编号</source>
        <translation>Preview, not numbered</translation>
    </message>
    <message>
        <location line="-103"/>
        <source>预览稿未编号：打印或另存为PDF时才编号并生成验证码</source>
        <translation>Preview, not numbered: printing or saving numbers it and adds the code</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>正在出具…</source>
        <translation>Issuing…</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>另存为PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>EmployerDialog</name>
    <message>
        <location filename="../../desktop/ui/employer_dialog.py" line="+84"/>
        <source>登记用人单位</source>
        <translation>Register an employer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统一社会信用代码(&amp;U)</source>
        <translation>&amp;Unified social credit code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>单位名称(&amp;N)</source>
        <translation>Employer &amp;name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工伤风险类别(&amp;K)</source>
        <translation>Injury ris&amp;k class</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>所在地区(&amp;R)</source>
        <translation>&amp;Region</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未设定</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>默认为本机构统筹区</source>
        <translation>Default: the office&apos;s pooling region</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../desktop/ui/i18n.py" line="+90"/>
        <source>意外错误：{error}</source>
        <translation>Unexpected error: {error}</translation>
    </message>
</context>
<context>
    <name>ExemptionDialog</name>
    <message>
        <location filename="../../desktop/ui/exemption_dialog.py" line="+132"/>
        <source>出具参保证明（双边协定）</source>
        <translation>Certificate of coverage (bilateral agreement)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>派往国家(&amp;C)</source>
        <translation>&amp;Country of posting</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>派出单位信用代码(&amp;U)</source>
        <translation>Sending employer credit code (&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>境外工作单位(&amp;H)</source>
        <translation>&amp;Host employer abroad</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>起始日期(&amp;F)</source>
        <translation>&amp;From</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>截止日期(&amp;T)</source>
        <translation>&amp;To</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>护照号码(&amp;P)</source>
        <translation>&amp;Passport number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>延期申请（接续截止于起始日前一天的证明）(&amp;E)</source>
        <translation>&amp;Extension (continues the certificate ending the day before)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自雇人员(&amp;Z)</source>
        <translation>Self-employed (&amp;Z)</translation>
    </message>
</context>
<context>
    <name>FlexibleDialog</name>
    <message>
        <location filename="../../desktop/ui/flexible_dialog.py" line="+131"/>
        <source>输入缴费月份和缴费基数比例后显示应缴金额</source>
        <translation>Enter the months and the base ratio to see the amount due</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>共 {months} 个月，月缴费基数 {base}，由个人全额缴纳：应缴 {total} 元，其中记入个人账户 {account} 元</source>
        <translation>{months} months on a monthly base of {base}, paid in full by the person: {total} yuan due, {account} yuan of it to the individual account</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>灵活就业人员缴费</source>
        <translation>Flexible worker&apos;s payment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参保人</source>
        <translation>Insured person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>起始月份(&amp;F)</source>
        <translation>&amp;From month</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>截止月份(&amp;T)</source>
        <translation>&amp;To month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>缴费基数比例(&amp;R)</source>
        <translation>Base &amp;ratio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如2026-01</source>
        <translation>e.g. 2026-01</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如2026-12</source>
        <translation>e.g. 2026-12</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>上年度全省全口径城镇单位就业人员月平均工资的倍数（0.60至3.00）</source>
        <translation>times the province&apos;s previous-year all-urban average monthly wage (0.60 to 3.00)</translation>
    </message>
</context>
<context>
    <name>ForeignerDialog</name>
    <message>
        <location filename="../../desktop/ui/foreigner_dialog.py" line="+83"/>
        <source>登记外籍人员</source>
        <translation>Register a foreign national</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>国籍(&amp;C)</source>
        <translation>&amp;Country</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>护照号码(&amp;P)</source>
        <translation>&amp;Passport number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>姓名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>性别(&amp;X)</source>
        <translation>Se&amp;x</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>出生日期(&amp;B)</source>
        <translation>&amp;Birth date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>两位国家代码，如DE</source>
        <translation>Two-letter country code, e.g. DE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如1990-05-17</source>
        <translation>e.g. 1990-05-17</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <location filename="../../desktop/ui/layout.py" line="+310"/>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>GapsModel</name>
    <message>
        <location filename="../../desktop/ui/sync_dialog.py" line="-78"/>
        <source>第 {first}–{last} 条变更</source>
        <translation>Changes {first}–{last}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>来源机构</source>
        <translation>From office</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>缺少的变更</source>
        <translation>Missing changes</translation>
    </message>
</context>
<context>
    <name>HistoryExport</name>
    <message>
        <location filename="../../desktop/ui/history_model.py" line="+313"/>
        <source>导出缴费明细</source>
        <translation>Export the contributions</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>缴费明细</source>
        <translation>Contributions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>已导出 {count} 个月到 {path}</source>
        <translation>{count} months exported to {path}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>导出Excel(&amp;E)…</source>
        <translation>&amp;Export to Excel…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>把缴费明细（全部月份）保存为Excel工作簿</source>
        <translation>Save every month of the grid as an Excel workbook</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location line="-181"/>
        <source>单位 {employer}，个人 {employee}，记入个人账户 {account}</source>
        <translation>Employer {employer}, employee {employee}, to the individual account {account}</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>欠缴</source>
        <translation>Arrears</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>补缴</source>
        <translation>Back-payment</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>正常</source>
        <translation>Regular</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>所属期</source>
        <translation>Month</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>用人单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>缴费基数</source>
        <translation>Base</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>缴费明细</source>
        <translation>Contributions</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>养老</source>
        <translation>Pension</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>医疗</source>
        <translation>Medical</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>失业</source>
        <translation>Unemployment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工伤</source>
        <translation>Injury</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>生育</source>
        <translation>Maternity</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../desktop/ui/import_dialog.py" line="+186"/>
        <source>正在导入 {name}…</source>
        <translation>Importing {name}…</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>正在导入，请稍候…</source>
        <translation>Importing, please wait…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>已导入 {rows} 行：新记录 {recorded} 人月（{lines} 条险种明细），{already} 人月此前已记录、未重复记录。所属期：{months}。</source>
        <translation>Imported {rows} rows: {recorded} person-months recorded ({lines} scheme lines); {already} person-months were already recorded and were not recorded again. Months: {months}.</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+20"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>保存错误清单</source>
        <translation>Save the bad rows</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>错误清单（{count} 行）已保存到 {path}</source>
        <translation>{count} bad rows saved to {path}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>单位申报模板</source>
        <translation>declaration template</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存申报模板</source>
        <translation>Save the declaration template</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>申报模板已保存到 {path}</source>
        <translation>Template saved to {path}</translation>
    </message>
    <message>
        <location line="-33"/>
        <location line="+20"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>导入单位申报</source>
        <translation>Import an employer declaration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>单位申报导入结果</source>
        <translation>Employer declaration import</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存错误清单(&amp;S)…</source>
        <translation>&amp;Save the list of bad rows…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存模板(&amp;T)…</source>
        <translation>Save &amp;template…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存空白的单位申报模板（CSV或Excel），含示例行和填写说明</source>
        <translation>Save a blank declaration template (CSV or Excel) with an example row and format help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本次新记录月份的应缴金额（元）：</source>
        <translation>Due for the months recorded now (yuan):</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>InsuredPanel</name>
    <message>
        <location filename="../../desktop/ui/insured_panel.py" line="+96"/>
        <source>转入凭证</source>
        <translation>Certificate (carried in)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本地缴费</source>
        <translation>Paid here</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同步</source>
        <translation>Known by sync</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>城乡居民养老保险</source>
        <translation>Residents&apos; pension</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>城乡居民医疗保险</source>
        <translation>Residents&apos; medical</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>人社部发〔2014〕17号：与职工养老保险重复的月份按职工缴费计算，居民个人缴费按月退还</source>
        <translation>人社部发〔2014〕17号: months that are also employee pension time count as employee contributions; the residents&apos; personal contribution for them is refunded month by month</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{months} 个月（{years} 年）</source>
        <translation>{months} months ({years} years)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>累计缴费 {time}</source>
        <translation>Contributed in all: {time}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>本地区退休最低缴费年限未设置（shebao insured minimum）</source>
        <translation>The minimum years for retirees in this region are not set (shebao insured minimum)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>退休时需累计满{years}年：已满足</source>
        <translation>{years} years needed at retirement: met</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>退休时需累计满{years}年：尚差{months}个月</source>
        <translation>{years} years needed at retirement: {months} months short</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>计算缴费时间 {time}</source>
        <translation>Insured time counted: {time}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>，自{month}起（上次领取失业保险金后重新计算）</source>
        <translation>, from {month} (counted anew after the last unemployment benefit claim)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>可领取失业保险金最长{months}个月</source>
        <translation>Unemployment benefit for up to {months} months</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>不满1年，不能领取失业保险金</source>
        <translation>Under 1 year: no unemployment benefit</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已开具医保转移凭证 {number}，转往{region}：转出地办结时限{due}{estimate}，转入地收到后{days}个工作日内办结</source>
        <translation>Medical transfer certificate {number} issued, to {region}: the old office is due by {due}{estimate}; the new office has {days} working days from receipt</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+7"/>
        <source>（预计）</source>
        <translation> (estimated)</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>（已作废）</source>
        <translation> (void)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已接收医保转移凭证 {number}（{issued}出具）：转入地办结时限{due}{estimate}</source>
        <translation>Medical transfer certificate {number} received (issued {issued}): the new office is due by {due}{estimate}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>；转出地办结时限{due}</source>
        <translation>; the old office was due by {due}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>医疗保险累计缴费年限</source>
        <translation>Medical insurance: contribution years</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>失业保险累计缴费时间</source>
        <translation>Unemployment insurance: insured time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>城乡居民保险</source>
        <translation>Residents&apos; schemes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>开具医保转移凭证</source>
        <translation>Issue medical transfer certificate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转出：开具基本医疗保险参保（合）凭证（医保发〔2021〕43号）</source>
        <translation>Leaving: issue the medical insurance transfer certificate (医保发〔2021〕43号)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>参保地</source>
        <translation>Region</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>月数</source>
        <translation>Months</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有职工医疗保险缴费时间。</source>
        <translation>No employees&apos; medical insurance time.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有计算中的失业保险缴费时间。</source>
        <translation>No unemployment insurance time counted.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>险种</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个人缴费</source>
        <translation>Employee</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>政府补贴</source>
        <translation>Subsidy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>当年职工缴费月数</source>
        <translation>Employee months in the year</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>应退个人缴费</source>
        <translation>Refund due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有城乡居民保险缴费记录。</source>
        <translation>No residents&apos; scheme contributions.</translation>
    </message>
</context>
<context>
    <name>KeyPassphraseDialog</name>
    <message>
        <location filename="../../desktop/ui/key_dialog.py" line="+79"/>
        <source>机构密钥 — 社保经办桌面</source>
        <translation>Office keys — Shebao Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>设置密钥口令</source>
        <translation>Set the key passphrase</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>解锁机构密钥</source>
        <translation>Unlock the office keys</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机构的签名和加密私钥将保存在密钥库中，由此口令加密（至少12个字符）。请牢记并妥善保管：忘记口令将无法再出具文书和同步文件。</source>
        <translation>The office&apos;s signing and encryption keys are kept in the key store, encrypted under this passphrase (12 characters or more). Remember it and keep it safe: without it no document or sync file can be issued.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>出具文书和同步文件需要本机构的私钥。请输入密钥口令；选择“稍后”也可继续办理其他业务。</source>
        <translation>Issuing documents and sync files needs the office&apos;s private keys. Enter the key passphrase, or choose Later to do other work.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>密钥口令(&amp;K)</source>
        <translation>&amp;Key passphrase</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>再次输入(&amp;A)</source>
        <translation>&amp;Again</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>设置(&amp;S)</source>
        <translation>&amp;Set</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>解锁(&amp;U)</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>稍后(&amp;L)</source>
        <translation>&amp;Later</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/window.py" line="+182"/>
        <source>数据库已损坏，只读打开：任何修改都不会保存。请选 文件 → 从备份恢复…</source>
        <translation>The database is damaged and open read-only: no change is saved. Choose File → Restore from backup…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>已从备份恢复</source>
        <translation>Restored from the backup</translation>
    </message>
    <message>
        <location line="+246"/>
        <source>正在打开…</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+36"/>
        <location line="+94"/>
        <source>已打开 {name}</source>
        <translation>Opened {name}</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>已登记用人单位 {name}</source>
        <translation>Registered the employer {name}</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>已提交审批申请 {id}，等待审核主管批准</source>
        <translation>Request {id} filed; it waits for a supervisor&apos;s approval</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>已出具养老金测算表 {number}</source>
        <translation>Pension estimate {number} issued</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>已申请归集临时缴费账户，转移业务编号 {case}</source>
        <translation>Asked to gather the temporary account, case {case}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>临时缴费账户已封存，凭证编号 {number}</source>
        <translation>Temporary account sealed, certificate {number}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>已记录灵活就业缴费 {months} 个月，共 {total} 元</source>
        <translation>Recorded {months} months paid as a flexible worker, {total} yuan in all</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>已办理城乡养老保险制度衔接，告知书编号 {number}</source>
        <translation>Scheme switch done, notice {number}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>已开具医保转移凭证 {number}，转出地办结时限{due}</source>
        <translation>Medical transfer certificate {number} issued, the old office is due by {due}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>已录入{kind} {first}至{last}（{months}个月）</source>
        <translation>Entered {kind} {first} to {last} ({months} months)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>已办理统筹单位内登记变更（资金不转移），业务编号 {case}</source>
        <translation>Registration changed inside the pooling unit (no funds move): case {case}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>已建立临时基本养老保险缴费账户（养老保险关系不转移），业务编号 {case}</source>
        <translation>Temporary pension contribution account opened (the relationship does not move), case {case}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已申请转入，转移业务编号 {case}</source>
        <translation>Transfer requested: case {case}</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>已记录 {month}，缴费基数 {base}</source>
        <translation>Recorded {month}, base {base}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>选择单位申报文件</source>
        <translation>Choose an employer declaration file</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>社保经办桌面</source>
        <translation>Shebao Desk</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>只读（数据库已损坏）</source>
        <translation>read-only (database damaged)</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>经办机构 {code}&#x3000;统筹区 {region}</source>
        <translation>Office {code}   Pooling region {region}</translation>
    </message>
    <message>
        <location line="-422"/>
        <source>无人操作的时间已到，已退出登录：请重新登录</source>
        <translation>Signed out after the idle time: please sign in again</translation>
    </message>
    <message>
        <location line="+103"/>
        <source>正在生成参保缴费证明预览…</source>
        <translation>Preparing the statement preview…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>正在生成参保缴费凭证预览…</source>
        <translation>Preparing the certificate preview…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>正在生成养老金测算表预览…</source>
        <translation>Preparing the estimate preview…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>养老金测算表预览：打印或另存为PDF时编号</source>
        <translation>Estimate preview: numbered when printed or saved</translation>
    </message>
    <message>
        <location line="+186"/>
        <source>选择备份文件</source>
        <translation>Choose a backup file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>备份文件 (*.sbk)</source>
        <translation>Backup files (*.sbk)</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>申报文件 (*.csv *.xlsx *.xls *.txt)</source>
        <translation>Declarations (*.csv *.xlsx *.xls *.txt)</translation>
    </message>
    <message>
        <location line="-448"/>
        <source>正在检查数据库…</source>
        <translation>Checking the database…</translation>
    </message>
    <message>
        <location line="+492"/>
        <source>SQLite 的快速检查（quick_check）读遍数据库的每一页；检查期间可照常工作，发现损坏时会提示</source>
        <translation>SQLite&apos;s quick check (quick_check) reads every page of the database; work goes on meanwhile, and damage found is reported</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记(&amp;R)</source>
        <translation>&amp;Register</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参保人(&amp;P)</source>
        <translation>&amp;Person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>系统检查(&amp;D)…</source>
        <translation>Installation &amp;check…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关于社保经办桌面(&amp;A)</source>
        <translation>&amp;About Shebao Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入单位申报(&amp;I)…</source>
        <translation>&amp;Import an employer declaration…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>机构设置(&amp;S)…</source>
        <translation>Office &amp;settings…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批量打印参保缴费证明(&amp;B)…</source>
        <translation>&amp;Batch print statements…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参保证明登记簿与统计(&amp;G)…</source>
        <translation>Certificates of covera&amp;ge…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转移业务工作清单(&amp;T)…</source>
        <translation>&amp;Transfer work list…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转移业务年度统计(&amp;N)…</source>
        <translation>Yearly tra&amp;nsfer report…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审批申请(&amp;A)…</source>
        <translation>&amp;Approval requests…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>审计记录(&amp;U)…</source>
        <translation>A&amp;udit trail…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同步(&amp;Y)…</source>
        <translation>S&amp;ync…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>从备份恢复(&amp;R)…</source>
        <translation>&amp;Restore from backup…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>从备份文件恢复（管理员）(&amp;O)…</source>
        <translation>Rest&amp;ore from a backup file (administrator)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记参保人(&amp;P)…</source>
        <translation>Register a &amp;person…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记外籍人员(&amp;F)…</source>
        <translation>Register a &amp;foreign national…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>登记用人单位(&amp;E)…</source>
        <translation>Register an &amp;employer…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查看(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记录缴费(&amp;M)…</source>
        <translation>Record a &amp;month…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>灵活就业缴费(&amp;G)…</source>
        <translation>Flexible payment (&amp;G)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印参保缴费证明(&amp;D)…</source>
        <translation>Print the statement (&amp;D)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>出具参保缴费凭证（转出）(&amp;C)…</source>
        <translation>&amp;Certificate on leaving…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>出具双边协定参保证明(&amp;X)…</source>
        <translation>Certificate of coverage (&amp;X)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>开具医保转移凭证(&amp;Y)…</source>
        <translation>Medical transfer certificate (&amp;Y)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印养老金测算表(&amp;E)…</source>
        <translation>Pension &amp;estimate sheet…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发起转移(&amp;T)…</source>
        <translation>&amp;Transfer…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>临时缴费账户(&amp;L)…</source>
        <translation>Temporary account (&amp;L)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>制度衔接(&amp;J)…</source>
        <translation>Scheme switch (&amp;J)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建账前历史（审核主管）(&amp;K)…</source>
        <translation>History before the record (supervisor) (&amp;K)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>查找参保人(&amp;S)</source>
        <translation>&amp;Search for an insured person</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>参保情况</source>
        <translation>Enrolments</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>缴费记录</source>
        <translation>Contributions</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个人账户</source>
        <translation>Individual account</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>已出具文书</source>
        <translation>Documents issued</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>养老保险参保记录</source>
        <translation>Pension record</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>医疗·失业·居民</source>
        <translation>Medical · unemployment · residents</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>退休</source>
        <translation>Retirement</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>请查找参保人</source>
        <translation>Find an insured person</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>在左侧输入身份证号码、姓名或拼音首字母（也可刷身份证或扫码），按回车打开。

Ctrl+F 查找&#x3000;Ctrl+N 登记参保人&#x3000;Ctrl+E 登记用人单位&#x3000;Ctrl+M 记录缴费&#x3000;Ctrl+P 打印参保缴费证明&#x3000;Ctrl+I 导入单位申报&#x3000;Ctrl+1…7 切换参保人页面&#x3000;Esc 回到查找框
其余操作及快捷键见“参保人”“查看”等菜单。</source>
        <translation>Type an ID number, a name or pinyin initials on the left (or swipe an ID card or scan a code), then press Enter.

Ctrl+F find   Ctrl+N register a person   Ctrl+E register an employer   Ctrl+M record a month   Ctrl+P print the statement   Ctrl+I import a declaration   Ctrl+1…7 person page sections   Esc back to the search box
The other actions and their keys are in the Person and View menus.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>正在打开数据库…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <location line="-633"/>
        <location line="+633"/>
        <source>就绪</source>
        <translation>Ready</translation>
    </message>
</context>
<context>
    <name>MedicalCertificateDialog</name>
    <message>
        <location filename="../../desktop/ui/medical_certificate_dialog.py" line="+101"/>
        <source>转入地：{name}</source>
        <translation>To: {name}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>开具(&amp;I)</source>
        <translation>&amp;Issue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>开具医保转移凭证</source>
        <translation>Issue medical transfer certificate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转入地区(&amp;R)</source>
        <translation>Destination &amp;region</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>申请日期(&amp;D)</source>
        <translation>Application &amp;date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>YYYY-MM-DD，空为今天</source>
        <translation>YYYY-MM-DD, blank for today</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>医保发〔2021〕43号：转出地自申请之日起{old}个工作日内出具凭证，转入地自收到凭证之日起{new}个工作日内办结；缴费年限累计计算。</source>
        <translation>医保发〔2021〕43号: the old office issues the certificate within {old} working days of the application, the new office finishes within {new} working days of receiving it; contribution years add up.</translation>
    </message>
</context>
<context>
    <name>OfficeDialog</name>
    <message>
        <location filename="../../desktop/ui/office_dialog.py" line="+79"/>
        <source>新建经办机构数据库</source>
        <translation>New office database</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>这是一个新的数据库。请填写本经办机构的代码、名称和统筹区，之后即可登记参保人和单位。</source>
        <translation>This is a new database. Enter this office&apos;s code, name and pooling region; then you can register people and employers.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>经办机构代码(&amp;C)</source>
        <translation>Office &amp;code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>经办机构名称(&amp;N)</source>
        <translation>Office &amp;name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统筹区(&amp;R)</source>
        <translation>Pooling &amp;region</translation>
    </message>
</context>
<context>
    <name>OpeningDialog</name>
    <message>
        <location filename="../../desktop/ui/opening_dialog.py" line="+137"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>尚未录入建账前历史。</source>
        <translation>Nothing entered yet from before the record began.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>共 {months} 个月（{years} 年）</source>
        <translation>{months} months ({years} years)</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>建账前历史（视同缴费、1998年前缴费）</source>
        <translation>History before the record (deemed years, months before 1998)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>视同缴费年限（无缴费基数、无账户余额）</source>
        <translation>Deemed years (no base, no account balance)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1998年前缴费（有月平均缴费基数）</source>
        <translation>Paid before 1998 (with an average monthly base)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>种类(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>当时所在地区(&amp;R)</source>
        <translation>&amp;Region then</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>起始月份(&amp;F)</source>
        <translation>&amp;From month</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>截止月份(&amp;T)</source>
        <translation>&amp;To month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>月平均缴费基数(&amp;B)</source>
        <translation>Average monthly &amp;base</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1997年末账户余额(&amp;L)</source>
        <translation>Account ba&amp;lance at end of 1997</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>依据文书(&amp;D)</source>
        <translation>&amp;Document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如1990-01</source>
        <translation>e.g. 1990-01</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如1997-12</source>
        <translation>e.g. 1997-12</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>元，精确到分</source>
        <translation>yuan, exact to the fen</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>视同缴费不填</source>
        <translation>none for deemed years</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>元，可不填</source>
        <translation>yuan, optional</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>档案材料名称和编号，如 招工审批表 赣劳〔1990〕12号</source>
        <translation>the file document and its number, e.g. 招工审批表 赣劳〔1990〕12号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已录入的建账前历史</source>
        <translation>Entered so far</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>种类</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>月数</source>
        <translation>Months</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>月均基数</source>
        <translation>Average base</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1997年末余额</source>
        <translation>Balance end of 1997</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>录入</source>
        <translation>Entered by</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>依据文书</source>
        <translation>Document</translation>
    </message>
</context>
<context>
    <name>PeersModel</name>
    <message>
        <location filename="../../desktop/ui/sync_dialog.py" line="-32"/>
        <source>从未</source>
        <translation>Never</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>否（需重新交换身份文件）</source>
        <translation>No (exchange identity files again)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>机构代码</source>
        <translation>Office code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>机构名称</source>
        <translation>Office name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>最近导入</source>
        <translation>Last import</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>最近导出</source>
        <translation>Last export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已应用其变更（条）</source>
        <translation>Its changes applied</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>可接收加密文件</source>
        <translation>Can receive encrypted files</translation>
    </message>
</context>
<context>
    <name>PersonPage</name>
    <message>
        <location filename="../../desktop/ui/person_page.py" line="+418"/>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>城镇</source>
        <translation>Urban</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>农村</source>
        <translation>Rural</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>（部分年度记账利率未设置，利息不完整）</source>
        <translation> (some years have no crediting rate set, so the interest is incomplete)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>个人账户余额：{balance} 元</source>
        <translation>Individual account balance: {balance} yuan</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>有效</source>
        <translation>Valid</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>参保关系所在地：{region}</source>
        <translation>Insured at: {region}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>个人账户 {account} 元（其中1998年前 {pre1998} 元），统筹基金 {pooling} 元，1998年起计算月数 {months}</source>
        <translation>Individual account {account} yuan (of which before 1998: {pre1998} yuan), pooling fund {pooling} yuan, months counted since 1998: {months}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>如现在申领，待遇领取地：{region}（{rule}）</source>
        <translation>Claimed now, the pension would be paid by {region} ({rule})</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>基本养老保险关系在户籍所在地，由户籍所在地负责办理待遇领取手续</source>
        <translation>The relationship is in the hukou place, which handles the pension claim</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>在现参保地累计缴费满{years}年，由现参保地负责办理待遇领取手续</source>
        <translation>{years} years or more paid at the current place, which handles the pension claim</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>在现参保地累计缴费不满{years}年，由最近一个累计缴费满{years}年的参保地负责办理待遇领取手续</source>
        <translation>Under {years} years at the current place: the most recent place with {years} years or more handles the pension claim</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>在各参保地累计缴费均不满{years}年，养老保险关系和相应资金转回户籍所在地，由户籍所在地负责办理待遇领取手续</source>
        <translation>Under {years} years at every place: the relationship and its funds go back to the hukou place, which handles the pension claim</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>出生日期</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>户籍地</source>
        <translation>Hukou</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户籍性质</source>
        <translation>Hukou type</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>国籍</source>
        <translation>Nationality</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>护照号码</source>
        <translation>Passport number</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>记录缴费(&amp;M)</source>
        <translation>Record a &amp;month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记录一个月的缴费（Ctrl+M）</source>
        <translation>Record one month of contributions (Ctrl+M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发起转移(&amp;T)</source>
        <translation>Start a &amp;transfer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>免缴证明(&amp;X)</source>
        <translation>E&amp;xemption certificate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印(&amp;D)</source>
        <translation>Pri&amp;nt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>养老保险关系转移：测算、申请转入（Ctrl+T）</source>
        <translation>Pension transfer: plan it, request a transfer in (Ctrl+T)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>预览参保缴费证明，打印或另存为PDF时编号（Ctrl+P）</source>
        <translation>Preview the statement; it is numbered when printed or saved (Ctrl+P)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>出具双边协定参保证明（Ctrl+Shift+X）</source>
        <translation>Issue a certificate of coverage under an agreement (Ctrl+Shift+X)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>临时缴费账户(&amp;A)</source>
        <translation>Temporary &amp;account</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>临时基本养老保险缴费账户：查看、封存、归集（Ctrl+L）</source>
        <translation>Temporary pension contribution accounts: view, seal, gather (Ctrl+L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>灵活就业缴费(&amp;G)</source>
        <translation>Flexible payment (&amp;G)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>灵活就业人员按月、季或年缴纳职工基本养老保险（Ctrl+G）</source>
        <translation>A flexible worker pays the employees&apos; pension by month, quarter or year (Ctrl+G)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>制度衔接(&amp;J)</source>
        <translation>Scheme switch (&amp;J)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>职工养老保险与城乡居民养老保险制度衔接（达到退休年龄时，Ctrl+J）</source>
        <translation>Switch between the employees&apos; and the residents&apos; pension (at retirement age, Ctrl+J)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建账前历史(&amp;K)</source>
        <translation>History before the record (&amp;K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>录入视同缴费年限和1998年前缴费（审核主管，Ctrl+H）</source>
        <translation>Enter deemed years and months paid before 1998 (supervisors, Ctrl+H)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>尚未开放</source>
        <translation>Not available yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参保情况</source>
        <translation>Enrolments</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>缴费记录</source>
        <translation>Contributions</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个人账户</source>
        <translation>Individual account</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+13"/>
        <source>已出具文书</source>
        <translation>Documents issued</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>养老保险参保记录</source>
        <translation>Pension record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>医疗·失业·居民</source>
        <translation>Medical · unemployment · residents</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>退休</source>
        <translation>Retirement</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>险种</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>参保地</source>
        <translation>Region</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>缴费期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>本地缴费月数</source>
        <translation>Months here</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>累计缴费月数</source>
        <translation>Months in total</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>欠缴月数</source>
        <translation>Months in arrears</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>缴费月数</source>
        <translation>Months</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>缴费基数合计</source>
        <translation>Base total</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>年初余额</source>
        <translation>Opening balance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记账利率</source>
        <translation>Crediting rate</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>当年利息</source>
        <translation>Interest</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>当年记入</source>
        <translation>Credited</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>年末余额</source>
        <translation>Closing balance</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;span style=&apos;background:{arrears}&apos;&gt;&amp;nbsp;欠缴&amp;nbsp;&lt;/span&gt; 已申报未缴费&#x3000;&lt;span style=&apos;background:{back}&apos;&gt;&amp;nbsp;补缴&amp;nbsp;&lt;/span&gt; 逾期补缴</source>
        <translation>&lt;span style=&apos;background:{arrears}&apos;&gt;&amp;nbsp;Arrears&amp;nbsp;&lt;/span&gt; declared, not paid&amp;nbsp;&amp;nbsp;&amp;nbsp;&lt;span style=&apos;background:{back}&apos;&gt;&amp;nbsp;Back-payment&amp;nbsp;&lt;/span&gt; paid late</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>文书编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>文书种类</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>出具日期</source>
        <translation>Issued on</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>打印次数</source>
        <translation>Prints</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>尚未为此人出具任何文书。</source>
        <translation>No documents have been issued for this person yet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>养老保险参保记录（按参保地）</source>
        <translation>Pension record by place</translation>
    </message>
</context>
<context>
    <name>ProblemModel</name>
    <message>
        <location filename="../../desktop/ui/import_dialog.py" line="-220"/>
        <source>行号</source>
        <translation>Line</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>错误原因</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <location filename="../../desktop/ui/progress.py" line="+14"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
</context>
<context>
    <name>ReceiveDialog</name>
    <message>
        <location filename="../../desktop/ui/transfer_list_dialog.py" line="+36"/>
        <source>确认到账</source>
        <translation>Confirm the money received</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name}（{worker}）自{source}转入。信息表转移总额：{total} 元。
请按银行到账通知输入实际到账金额，与信息表一致方可办结。</source>
        <translation>{name} ({worker}) moves in from {source}. Total on the information table: {total} yuan.
Enter the amount the bank actually credited; the case closes only when it equals the table&apos;s total.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>到账金额(&amp;A)</source>
        <translation>&amp;Amount received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>元</source>
        <translation>yuan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>确认到账(&amp;S)</source>
        <translation>&amp;Confirm receipt</translation>
    </message>
</context>
<context>
    <name>RecordMonthDialog</name>
    <message>
        <location filename="../../desktop/ui/record_month_dialog.py" line="+255"/>
        <source>输入缴费工资后显示缴费基数和各险种金额</source>
        <translation>Enter the wage to see the base and the amount of each scheme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>补缴</source>
        <translation>Back-payment</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>正常缴费</source>
        <translation>regular</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>缴费基数 {base}（下限 {floor}，上限 {ceiling}），{kind}</source>
        <translation>Base {base} (floor {floor}, ceiling {ceiling}), {kind}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>低于缴费基数下限 {floor}，按下限 {base} 计</source>
        <translation>Below the base floor {floor}: counted as {base}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>高于缴费基数上限 {ceiling}，按上限 {base} 计</source>
        <translation>Above the base ceiling {ceiling}: counted as {base}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>记录缴费</source>
        <translation>Record a month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参保人</source>
        <translation>Insured person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>用人单位(&amp;E)</source>
        <translation>&amp;Employer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>所属期(&amp;M)</source>
        <translation>&amp;Month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>缴费工资(&amp;W)</source>
        <translation>&amp;Wage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>仅申报未缴费（记为欠缴）(&amp;A)</source>
        <translation>Declared but not paid (record as &amp;arrears)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如2026-10</source>
        <translation>e.g. 2026-10</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>元，精确到分</source>
        <translation>yuan, exact to the fen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>险种</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>单位缴费</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个人缴费</source>
        <translation>Employee</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记入个人账户</source>
        <translation>To the individual account</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>小计</source>
        <translation>Subtotal</translation>
    </message>
</context>
<context>
    <name>RecordPanel</name>
    <message>
        <location filename="../../desktop/ui/record_panel.py" line="+155"/>
        <source>转入（{source}）</source>
        <translation>Received ({source})</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>转入</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本地缴费</source>
        <translation>Paid here</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建账录入（{document}）</source>
        <translation>Entered from the file ({document})</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>没有养老保险参保缴费记录。</source>
        <translation>No pension record.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{years} 年</source>
        <translation>{years} years</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>一次性补缴{first}至{last}共{months}个月（{paid_on}缴纳，记入个人账户{account}元）暂不计入、不转移：一次性补缴{years}年以上的，须有法院、审计、劳动保障监察或劳动人事争议仲裁文书（人社厅发〔2019〕94号）；须在{notify_by}前书面告知本人原因。</source>
        <translation>The lump-sum back payment of {first} to {last}, {months} months (paid {paid_on}, {account} yuan to the individual account), is held back: it neither counts nor moves. A lump sum of {years} years or more needs a document from a court, an audit office, the labour inspectorate or a labour arbitration committee (人社厅发〔2019〕94号); the person must be told why in writing by {notify_by}.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>种类</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>月数</source>
        <translation>Months</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>各参保地（省）累计，决定待遇领取地</source>
        <translation>Totals by place (province): they decide where the pension is paid</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>参保地</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>实际缴费</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>视同缴费</source>
        <translation>Deemed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>1998年前缴费</source>
        <translation>Before 1998</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合计月数</source>
        <translation>Months in all</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>折合年数</source>
        <translation>Years</translation>
    </message>
</context>
<context>
    <name>ReferenceModel</name>
    <message>
        <location filename="../../desktop/ui/reference_model.py" line="+157"/>
        <source>本机构设定</source>
        <translation>Set by the office</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>内置</source>
        <translation>Shipped</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>内置：{source}</source>
        <translation>Shipped: {source}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>地区代码</source>
        <translation>Region</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>上年度月平均工资</source>
        <translation>Previous-year average monthly wage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>险种</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>起始月份</source>
        <translation>From</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>截止月份</source>
        <translation>To</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>单位费率</source>
        <translation>Employer rate</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个人费率</source>
        <translation>Employee rate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记入个人账户比例</source>
        <translation>Individual account rate</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>风险类别</source>
        <translation>Risk class</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>基数下限比例</source>
        <translation>Base floor ratio</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>基数上限比例</source>
        <translation>Base ceiling ratio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记账利率</source>
        <translation>Crediting rate</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
</context>
<context>
    <name>RegionPicker</name>
    <message>
        <location filename="../../desktop/ui/pickers.py" line="-159"/>
        <source>地区名称、拼音首字母或6位代码</source>
        <translation>Name, pinyin or 6-digit code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>输入地区名称（如 南昌）、拼音（nanchang）或拼音首字母（ncs），用方向键选择，回车确定；也可直接输入6位行政区划代码</source>
        <translation>Type a region&apos;s name (南昌), its pinyin (nanchang) or pinyin initials (ncs), choose with the arrow keys and press Enter; or type the 6-digit region code</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>{name}（至{year}年）</source>
        <translation>{name} (until {year})</translation>
    </message>
</context>
<context>
    <name>RegisterDialog</name>
    <message>
        <location filename="../../desktop/ui/register_dialog.py" line="+279"/>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>登记参保人</source>
        <translation>Register an insured person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>身份证号码(&amp;I)</source>
        <translation>&amp;ID number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>姓名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>户籍地区划代码(&amp;R)</source>
        <translation>Hukou &amp;region code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>户籍性质(&amp;T)</source>
        <translation>Hukou &amp;type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>联系电话(&amp;P)</source>
        <translation>&amp;Phone</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>用人单位(&amp;E)</source>
        <translation>&amp;Employer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参保起始月份(&amp;M)</source>
        <translation>Start &amp;month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参保险种(&amp;K)</source>
        <translation>Sche&amp;mes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参保登记（选择用人单位后一并办理）</source>
        <translation>Enrolment (done together once an employer is chosen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>单位名称或统一社会信用代码</source>
        <translation>Employer name or credit code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>如2026-10</source>
        <translation>e.g. 2026-10</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>出生日期</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>城镇</source>
        <translation>Urban</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>农村</source>
        <translation>Rural</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>18位，可刷身份证</source>
        <translation>18 characters; an ID card reader works</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>6位数字</source>
        <translation>6 digits</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../desktop/ui/restore_dialog.py" line="+115"/>
        <source>正在读取备份文件…</source>
        <translation>Reading the backup file…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>用备份文件 {file} 替换本数据库的全部数据（备份制作于 {when}，经办机构 {office}）。现有数据会先另存一份；恢复后须重新登录。</source>
        <translation>Replace all data of this database by the backup {file} (made {when}, office {office}). The current data is kept first; sign in again afterwards.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>这是增量备份，将与同一文件夹中它所依据的 {n} 份备份一起读取：{files}。</source>
        <translation>This is an increment: it is read with the {n} earlier backups it is built on, in the same folder: {files}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>这是另一个经办机构的备份：{theirs}；本数据库是 {here}。恢复后本数据库将变成{theirs}的数据。确要恢复，请输入对方机构代码 {code} 再次确认。</source>
        <translation>This is another office&apos;s backup: {theirs}; this database is {here}. Restoring it turns this database into {theirs}&apos;s data. To restore it anyway, type that office&apos;s code {code} to confirm again.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>正在从备份恢复…</source>
        <translation>Restoring from the backup…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>从备份文件恢复</source>
        <translation>Restore from a backup file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>对方机构代码(&amp;C)</source>
        <translation>Other office&apos;s &amp;code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>备份密钥文件(&amp;K)</source>
        <translation>Backup &amp;key file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>恢复(&amp;R)</source>
        <translation>&amp;Restore</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>RetirementPanel</name>
    <message>
        <location filename="../../desktop/ui/retirement_panel.py" line="+189"/>
        <source>已到达</source>
        <translation>reached</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未到达</source>
        <translation>not reached yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>法定退休日期：{day}（{years}岁{months}个月，{group}岁退休年龄类别），{state}</source>
        <translation>Statutory retirement day: {day} ({years} years {months} months, the {group} age group), {state}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>可弹性提前至 {early}（不早于原法定退休年龄），或经单位同意弹性延迟至 {late}</source>
        <translation>May retire as early as {early} (never before the original age), or with the employer&apos;s consent as late as {late}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{year}年退休的最低缴费年限 {need_y}年{need_m}个月（{need}个月）；已有 {have} 个月（各地合计，含视同缴费），还差 {missing} 个月：可延长缴费或一次性补缴</source>
        <translation>A pension starting in {year} needs {need_y} years {need_m} months ({need} months); the record has {have} months (every place, deemed years included): {missing} months short, by extended payment or a lump sum</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>；按灵活就业最低缴费基数延长缴费，每月 {monthly} 元，共约 {cost} 元（按{basis}）</source>
        <translation>; extended payment at the lowest flexible-worker base: {monthly} yuan a month, about {cost} yuan in all (at {basis})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{year}年退休的最低缴费年限 {need_y}年{need_m}个月（{need}个月）；已有 {have} 个月，已满足</source>
        <translation>A pension starting in {year} needs {need_y} years {need_m} months ({need} months); the record has {have} months: met</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>在本地继续缴费</source>
        <translation>Keep paying here</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>转往外省继续缴费</source>
        <translation>Move to another province and keep paying</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>现在停止缴费</source>
        <translation>Stop paying now</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按60%灵活就业缴费</source>
        <translation>Pay as a flexible worker at 60%</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>按100%灵活就业缴费</source>
        <translation>Pay as a flexible worker at 100%</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>按300%灵活就业缴费</source>
        <translation>Pay as a flexible worker at 300%</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>正在测算…</source>
        <translation>Estimating…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>按{day}退休测算（测算，仅供参考）：基础养老金 {basic} 元 + 个人账户养老金 {account} 元（账户 {balance} 元 ÷ 计发月数 {divisor}） + 过渡性养老金 {transitional} 元 = 每月 {total} 元</source>
        <translation>Retiring on {day} (an estimate, for reference only): basic pension {basic} + account pension {account} (account {balance} ÷ divisor {divisor}) + transitional pension {transitional} = {total} yuan a month</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>退休</source>
        <translation>Retirement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>养老金测算</source>
        <translation>Pension estimate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工资增长率(&amp;W)</source>
        <translation>&amp;Wage growth</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记账利率(&amp;I)</source>
        <translation>Cred&amp;iting rate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>缴费基数比例(&amp;B)</source>
        <translation>&amp;Base ratio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重新测算(&amp;C)</source>
        <translation>Re&amp;compute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>打印测算表(&amp;Y)</source>
        <translation>Print the estimate (&amp;Y)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>情形</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>缴费月数</source>
        <translation>Months</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>基础养老金</source>
        <translation>Basic pension</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个人账户养老金</source>
        <translation>Account pension</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>过渡性养老金</source>
        <translation>Transitional pension</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>每月合计</source>
        <translation>Monthly total</translation>
    </message>
</context>
<context>
    <name>SearchModel</name>
    <message>
        <location filename="../../desktop/ui/search.py" line="+66"/>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>出生日期</source>
        <translation>Birth date</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location line="+108"/>
        <source>回车打开所选人员；Esc 回到查找框</source>
        <translation>Enter opens the selected person; Esc returns to the search box</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>仅显示前 %n 人，请输入更多</source>
        <translation>
            <numerusform>Showing the first %n person only; type more</numerusform>
            <numerusform>Showing the first %n people only; type more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>找到 %n 人</source>
        <translation>
            <numerusform>%n person found</numerusform>
            <numerusform>%n people found</numerusform>
        </translation>
    </message>
    <message>
        <location line="+43"/>
        <source>查找参保人(&amp;S)</source>
        <translation>&amp;Search for an insured person</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>身份证号码、姓名或拼音首字母，回车打开</source>
        <translation>ID number, name or pinyin initials; Enter opens</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="+233"/>
        <source>已保存联系方式</source>
        <translation>Contact details saved</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>已保存：下次登录起生效</source>
        <translation>Saved: applies from the next sign-in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已保存：不再自动退出登录</source>
        <translation>Saved: never signs out by itself</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>没有需要保存的更改</source>
        <translation>Nothing to save</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>第 {row} 行：{message}</source>
        <translation>Row {row}: {message}</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>已保存 {count} 行</source>
        <translation>{count} rows saved</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>选择同步发件文件夹</source>
        <translation>Choose the sync outbox folder</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>已保存同步发件文件夹</source>
        <translation>Sync outbox folder saved</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>已清除同步发件文件夹</source>
        <translation>Sync outbox folder cleared</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>机构设置</source>
        <translation>Office settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>费率与工资</source>
        <translation>Rates and wages</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>本机构</source>
        <translation>This office</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>社会平均工资</source>
        <translation>Average wages</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>费率</source>
        <translation>Rates</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>基数上下限</source>
        <translation>Base limits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>记账利率</source>
        <translation>Crediting rate</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>按地区和起止月份设定；本机构设定的值优先于内置值。修改或新增后按“保存更改”，比例和费率写小数（如 0.16 表示 16%）。</source>
        <translation>Values are set per region and period; values set by the office win over the shipped ones. Edit or add rows, then press &quot;Save changes&quot;. Write ratios and rates as fractions (0.16 for 16%).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新增一行(&amp;A)</source>
        <translation>&amp;Add a row</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存更改(&amp;S)</source>
        <translation>&amp;Save changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>经办机构代码</source>
        <translation>Office code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>经办机构名称</source>
        <translation>Office name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统筹区</source>
        <translation>Pooling region</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>密钥指纹</source>
        <translation>Key fingerprint</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>联系方式与银行账户（印在各类文书抬头和联系函上）</source>
        <translation>Contact and bank details (printed in document headings and on contact letters)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>地址(&amp;D)</source>
        <translation>A&amp;ddress</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>联系电话(&amp;P)</source>
        <translation>&amp;Phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>邮政编码(&amp;Z)</source>
        <translation>Postcode (&amp;Z)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>开户名称(&amp;N)</source>
        <translation>Account &amp;name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>开户银行(&amp;K)</source>
        <translation>Ban&amp;k</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>银行账号(&amp;U)</source>
        <translation>Acco&amp;unt number</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>如 0791-86123456</source>
        <translation>e.g. 0791-86123456</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>6位数字</source>
        <translation>6 digits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>空白时为本机构名称</source>
        <translation>blank: the office&apos;s name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>办理转入时，联系函的开户名称、银行、账号、地址和电话默认取这里的值。只有管理员可以修改。</source>
        <translation>A transfer-in&apos;s contact letter takes its account name, bank, account, address and phone from here unless typed. Only an administrator may change them.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存联系方式(&amp;C)</source>
        <translation>Save &amp;contact details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>无人操作时自动退出登录(&amp;I)</source>
        <translation>Sign out when &amp;idle for</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>从不</source>
        <translation>never</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保存(&amp;G)</source>
        <translation>Sa&amp;ve</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>窗口在这段时间内没有键盘和鼠标操作时退出登录，清除屏幕上的参保人信息；0 表示从不。只有管理员可以修改。</source>
        <translation>The window signs out after this long without keyboard or mouse input and clears the people shown; 0: never. Only an administrator can change it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>界面语言(&amp;L)</source>
        <translation>Interface &amp;language</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同步发件文件夹(&amp;O)</source>
        <translation>Sync &amp;outbox folder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未设置</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>浏览(&amp;B)…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>计划任务运行 shebao sync outbox 时，会把发给全部受信任机构的同步文件写到这个文件夹（文件名为机构代码和时间）。只有管理员可以修改。</source>
        <translation>A scheduled task running shebao sync outbox writes a sync file for every trusted office into this folder (named by office code and time). Only an administrator may change it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../desktop/ui/signin_dialog.py" line="+117"/>
        <source>请输入账号</source>
        <translation>Enter the account name</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>登录 — 社保经办桌面</source>
        <translation>Sign in — Shebao Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>修改密码</source>
        <translation>Change the password</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>请登录</source>
        <translation>Please sign in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>账号(&amp;U)</source>
        <translation>&amp;User</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>密码(&amp;P)</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>这是首次登录，或密码已被管理员重置。请设置只有您知道的新密码（至少8个字符，不含账号名）。</source>
        <translation>This is the first sign-in, or an administrator reset the password. Set a new password only you know (at least 8 characters, not containing the account name).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新密码(&amp;N)</source>
        <translation>&amp;New password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>再次输入(&amp;A)</source>
        <translation>&amp;Again</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>修改并登录(&amp;S)</source>
        <translation>Change and &amp;sign in</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>登录(&amp;S)</source>
        <translation>&amp;Sign in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../desktop/ui/app.py" line="+114"/>
        <source>正在备份数据库（升级前的副本）…</source>
        <translation>Backing up the database (a copy before the upgrade)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正在升级数据库结构…</source>
        <translation>Upgrading the database…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>正在收回升级后空出的磁盘空间…</source>
        <translation>Giving back the disk space the upgrade freed…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>正在打开数据库…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>数据库检查未能完成：</source>
        <translation>The database check could not finish: </translation>
    </message>
    <message>
        <location line="+143"/>
        <source>社保经办桌面</source>
        <translation>Shebao Desk</translation>
    </message>
</context>
<context>
    <name>SwitchDialog</name>
    <message>
        <location filename="../../desktop/ui/switch_dialog.py" line="+131"/>
        <source>{months} 个月（{years}年{rest}个月）</source>
        <translation>{months} months ({years} years {rest} months)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>从城乡居民养老保险转入职工养老保险</source>
        <translation>From the residents&apos; pension to the employees&apos; pension</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>从职工养老保险转入城乡居民养老保险</source>
        <translation>From the employees&apos; pension to the residents&apos; pension</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已达到</source>
        <translation>reached</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>未达到</source>
        <translation>not reached</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{years} 年</source>
        <translation>{years} years</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{months} 个月</source>
        <translation>{months} months</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>，城乡居民养老保险缴费年限不合并计算</source>
        <translation>; the residents&apos; years are not added</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>{amount} 元</source>
        <translation>{amount} yuan</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>城乡居民养老保险的利息由其基金另计。</source>
        <translation>The residents&apos; fund adds its own interest.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>个人账户储存额含至本年度已知的记账利息；统筹基金不转移。</source>
        <translation>The individual account includes the interest known up to this year; the pooling fund does not move.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>重复缴费月份只计算职工养老保险缴费年限，居民个人缴费按月退还（个人缴费×月数÷12）。</source>
        <translation>Months paid to both count once, as employee time; the residents&apos; personal contribution for them is refunded (personal × months ÷ 12).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>已于{date}办理，告知书编号 {number}</source>
        <translation>Done on {date}, notice {number}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>城乡养老保险制度衔接</source>
        <translation>Switch between the employees&apos; and the residents&apos; pension</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>确认办理(&amp;S)</source>
        <translation>Confirm the &amp;switch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>衔接方向</source>
        <translation>Direction</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>适用规定</source>
        <translation>Rule</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>法定退休年龄日期</source>
        <translation>Statutory retirement day</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>职工养老保险缴费</source>
        <translation>Employees&apos; pension paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>城乡居民养老保险缴费</source>
        <translation>Residents&apos; pension paid</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+7"/>
        <source>重复缴费月数</source>
        <translation>Months paid to both</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>计算的缴费年限</source>
        <translation>Contribution time counted</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>转移个人账户储存额</source>
        <translation>Individual account moved</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退还居民个人缴费合计</source>
        <translation>Residents&apos; personal contributions refunded</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>城乡居民养老保险缴费及退还（按年度）</source>
        <translation>Residents&apos; pension years and refunds</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个人缴费</source>
        <translation>Employee</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>政府补贴</source>
        <translation>Subsidy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>退还个人缴费</source>
        <translation>Refunded</translation>
    </message>
</context>
<context>
    <name>SyncDialog</name>
    <message>
        <location filename="../../desktop/ui/sync_dialog.py" line="+263"/>
        <source>机构(&amp;O)</source>
        <translation>&amp;Offices</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待补缺口（{count}）(&amp;G)</source>
        <translation>Missing &amp;gaps ({count})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待补缺口(&amp;G)</source>
        <translation>Missing &amp;gaps</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>冲突（{count}）(&amp;C)</source>
        <translation>&amp;Conflicts ({count})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>冲突(&amp;C)</source>
        <translation>&amp;Conflicts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本机构 {code} 有 {count} 条变更尚未导出。</source>
        <translation>This office ({code}) has {count} changes not exported yet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本机构 {code} 的变更都已导出。</source>
        <translation>Every change of this office ({code}) has been exported.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>同步发件文件夹：{folder}（计划任务运行 shebao sync outbox 会把发给全部受信任机构的文件写到这里）</source>
        <translation>Sync outbox folder: {folder} (a scheduled task running shebao sync outbox writes the file for every trusted office there)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>尚未设置同步发件文件夹（机构设置 → 同步）。</source>
        <translation>No sync outbox folder is set (Office settings → Sync).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>这些变更还没有收到，其后的变更已暂存、暂不应用。请向来源机构索取包含这些变更的同步文件（或完整快照），导入后暂存的变更随之应用。</source>
        <translation>These changes have not arrived; the later ones are held and not applied yet. Ask the office they come from for a sync file with them (or a full snapshot): once it is imported, the held changes are applied too.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>没有缺少的变更。</source>
        <translation>No changes are missing.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>保存同步文件</source>
        <translation>Save sync file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同步文件 (*.sync)</source>
        <translation>Sync files (*.sync)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>正在导出同步文件…</source>
        <translation>Exporting a sync file…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>已导出 {changes} 条变更，发给 {to}。
文件：{file}
SHA-256：{sha}</source>
        <translation>Exported {changes} changes for {to}.
File: {file}
SHA-256: {sha}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>选择同步文件</source>
        <translation>Choose a sync file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>同步文件 (*.sync);;所有文件 (*)</source>
        <translation>Sync files (*.sync);;All files (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>正在导入 {name}…</source>
        <translation>Importing {name}…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>已导入 {sender} 的同步文件：已应用 {applied} 条，已有 {already} 条，冲突 {conflicts} 条，暂存 {held} 条。</source>
        <translation>Imported the sync file from {sender}: {applied} applied, {already} already here, {conflicts} conflicts, {held} held.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>缺少 {origin} 的第 {first}–{last} 条变更，已暂存后续文件。</source>
        <translation>Changes {first}–{last} of {origin} are missing; the later ones are held.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>请在“冲突”页核对被覆盖的修改。</source>
        <translation>Review the overridden edits on the Conflicts tab.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256：{sha}</source>
        <translation>SHA-256: {sha}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>正在处理，请稍候…</source>
        <translation>Working, please wait…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>没有待处理的冲突。</source>
        <translation>No conflicts to review.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>请选择一条冲突。</source>
        <translation>Select a conflict.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>两个机构在互不知情时修改了同一记录。现行数据采用 {winner} 的修改；{loser} 的修改落选，保存在此待核对。改用落选的修改会把它作为本机构的新修改，下次同步时发给其他机构。</source>
        <translation>Two offices changed the same record unaware of each other. The record now holds the edit made at {winner}; the edit made at {loser} lost and is kept here for review. Taking the losing edit stores it as a new edit of this office, sent to the other offices with the next sync.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>冲突#{id}：已改用落选的修改。</source>
        <translation>Conflict #{id}: the losing edit was taken.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>冲突#{id}：已保留胜出的修改。</source>
        <translation>Conflict #{id}: the winning edit was kept.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>与其他经办机构同步</source>
        <translation>Sync with other offices</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发给(&amp;T)</source>
        <translation>&amp;To</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>全部受信任机构</source>
        <translation>Every trusted office</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>完整快照(&amp;F)</source>
        <translation>&amp;Full snapshot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>发送本机构已有的全部变更，用于新建或重装的机构</source>
        <translation>Send every change held here, to seed a new or reinstalled office</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出(&amp;E)…</source>
        <translation>&amp;Export…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导入(&amp;I)…</source>
        <translation>&amp;Import…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>保留胜出的修改(&amp;K)</source>
        <translation>&amp;Keep the winning edit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>改用落选的修改(&amp;L)</source>
        <translation>Take the &amp;losing edit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>TemporaryDialog</name>
    <message>
        <location filename="../../desktop/ui/temporary_dialog.py" line="+124"/>
        <source>不能办理：{reason}</source>
        <translation>Not possible: {reason}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>使用中</source>
        <translation>open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{on}封存（转往{to}，凭证{number}）</source>
        <translation>sealed on {on} (moved to {to}, certificate {number})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已归集（业务{case}）</source>
        <translation>gathered (case {case})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{region} {name}：{opened}建立，养老保险关系在{relationship} {rname}；{state}</source>
        <translation>{region} {name}: opened {opened}, the relationship is in {relationship} {rname}; {state}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>；{months}个月，全部缴费本息 {total} 元（其中个人账户部分 {account} 元）</source>
        <translation>; {months} months, all contributions with interest {total} yuan (individual account part {account} yuan)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本机构没有该参保人的临时基本养老保险缴费账户记录。</source>
        <translation>This office knows no temporary contribution account of the person.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>临时基本养老保险缴费账户</source>
        <translation>Temporary pension contribution accounts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>封存本地账户：参保人转往外省(&amp;F)</source>
        <translation>Seal the account held here: the person moves to another province (&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>归集外地账户：本机构为养老保险关系所在地(&amp;G)</source>
        <translation>&amp;Gather an account held elsewhere: this office holds the relationship</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>转往地区(&amp;R)</source>
        <translation>Moving to &amp;region</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>临时账户所在地(&amp;R)</source>
        <translation>Account held in &amp;region</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>批准文号(&amp;A)</source>
        <translation>&amp;Approval reference</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未达到待遇领取条件时，经批准转移的文号</source>
        <translation>before pension age: the approved transfer&apos;s reference</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纸质办理（联系函邮寄，不经同步文件）(&amp;Z)</source>
        <translation>On paper: the letter goes by pos&amp;t, not in a sync file</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>封存并出具凭证(&amp;S)</source>
        <translation>&amp;Seal and issue the certificate</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>申请归集并出具联系函(&amp;S)</source>
        <translation>A&amp;sk to gather and issue the contact letter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>TokenPinDialog</name>
    <message>
        <location filename="../../desktop/ui/token_pin.py" line="+44"/>
        <source>USB Key PIN — 社保经办桌面</source>
        <translation>USB key PIN — Shebao Desk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>请输入 USB Key 的 PIN</source>
        <translation>Enter the USB key&apos;s PIN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机构的签名密钥在 USB Key“{label}”上。签名（出具文书、导出同步文件）需要其 PIN；多次输错会锁定 USB Key。</source>
        <translation>This office&apos;s signing key is on USB key &quot;{label}&quot;. Signing (issuing documents, exporting sync files) needs its PIN; repeated wrong PINs lock the key.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PIN(&amp;P)</source>
        <translation>&amp;PIN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>确定(&amp;O)</source>
        <translation>&amp;OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>TotalsModel</name>
    <message>
        <location filename="../../desktop/ui/import_dialog.py" line="+28"/>
        <location line="+5"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>险种</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>单位缴费</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个人缴费</source>
        <translation>Employee</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../desktop/ui/transfer_dialog.py" line="+375"/>
        <source>基本养老保险关系在户籍所在地，由户籍所在地负责办理待遇领取手续</source>
        <translation>The relationship is in the hukou place, which handles the pension claim</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>在现参保地累计缴费满{years}年，由现参保地负责办理待遇领取手续</source>
        <translation>{years} years or more paid at the current place, which handles the pension claim</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>在现参保地累计缴费不满{years}年，由最近一个累计缴费满{years}年的参保地负责办理待遇领取手续</source>
        <translation>Under {years} years at the current place: the most recent place with {years} years or more handles the pension claim</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>在各参保地累计缴费均不满{years}年，养老保险关系和相应资金转回户籍所在地，由户籍所在地负责办理待遇领取手续</source>
        <translation>Under {years} years at every place: the relationship and its funds go back to the hukou place, which handles the pension claim</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>转入户籍所在省份，不受年龄限制，正常转移</source>
        <translation>Moving to the hukou province: no age limit, a normal transfer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>经批准的转移，不受年龄限制，正常转移</source>
        <translation>An approved transfer: no age limit, a normal transfer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>在同一省份内转移，不属于跨省流动，正常转移</source>
        <translation>A move within one province, not across provinces: a normal transfer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>男未满{men}周岁、女未满{women}周岁，正常转移</source>
        <translation>Men under {men}, women under {women}: a normal transfer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>男年满{men}周岁、女年满{women}周岁，且转入地不是户籍所在省份：养老保险关系不转移，在转入地建立临时基本养老保险缴费账户</source>
        <translation>Men of {men} or more, women of {women} or more, moving outside the hukou province: the relationship stays where it is and the new place opens a temporary pension contribution account</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>国办发〔2009〕66号第六条</source>
        <translation>Guobanfa [2009] No. 66, article 6</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>国办发〔2009〕66号第五条</source>
        <translation>Guobanfa [2009] No. 66, article 5</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{text}（{source}）</source>
        <translation>{text} ({source})</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>{amount} 元</source>
        <translation>{amount} yuan</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>资金不转移</source>
        <translation>no funds move</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{months} 个月（本统筹地区1998年1月起实际缴费月数）</source>
        <translation>{months} months (paid in this pooling region since January 1998)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>是：建立临时基本养老保险缴费账户</source>
        <translation>Yes: a temporary pension contribution account</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{region}与本机构同属{unit}统筹单位（省级统筹）：这是统筹单位内的参保登记变更，养老保险关系和参保缴费记录接续，资金不转移，不出具联系函和参保缴费信息表。</source>
        <translation>{region} and this office are in the same pooling unit, {unit} (provincial pooling): this is a change of registration inside the unit. The relationship and the record continue, no funds move, and no contact letter or information table is issued.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>养老保险关系留在原参保地，不出具联系函，资金不转移；本机构建立临时基本养老保险缴费账户，此后在本地的单位和个人全部缴费记入该账户。参保人再跨省流动时封存，达到待遇领取条件时由养老保险关系所在地归集（人社部规〔2016〕5号）。</source>
        <translation>The relationship stays at the old place: no contact letter, no funds move. This office opens a temporary pension contribution account and every employer and employee contribution here goes into it. It is sealed when the person moves to another province, and gathered by the office holding the relationship when the person reaches pension conditions (人社部规〔2016〕5号).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{years} 年的记账利率尚未录入，个人账户未计该年利息，转出办理将被拒绝：请先在“机构设置 → 费率与工资 → 记账利率”中录入。</source>
        <translation>The crediting rate of {years} is not entered, so the individual account earns no interest for that year and settling the transfer will be refused: enter it first in Office settings → Rates and wages → Crediting rate.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>以上为测算，不写入任何数据。转入地申请后，在“转移业务工作清单”中办理转出并出具信息表。</source>
        <translation>A plan only: nothing is written. Once the new office has requested the transfer, settle it in the transfer work list, which issues the information table.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>金额为按本机构所记录的转出地缴费测算，以转出地出具的参保缴费信息表为准；到账后在“转移业务工作清单”中确认。</source>
        <translation>The amounts are an estimate from the contributions recorded here for the old region; the old office&apos;s information table decides. Confirm the money in the transfer work list when it arrives.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>转移金额由转出地计算，以转出地出具的参保缴费信息表为准；到账后在“转移业务工作清单”中确认。</source>
        <translation>The old office computes the amounts; its information table is what counts. Confirm the money in the transfer work list once it has arrived.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>同一统筹地区，无需转移。</source>
        <translation>The same pooling region: nothing to transfer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>本机构没有该参保人在此统筹单位的参保记录。</source>
        <translation>This office knows no record of the person in that pooling unit.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本统筹单位没有该参保人的参保记录。</source>
        <translation>The person has no record in this pooling unit.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>参保记录（按参保地）(&amp;J)</source>
        <translation>Re&amp;cord by place</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{title}&#x3000;{count}段</source>
        <translation>{title}  {count} periods</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>同一统筹地区，无需转移</source>
        <translation>The same pooling region: nothing to transfer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>统筹单位内登记变更，资金不转移</source>
        <translation>Registration change inside the pooling unit, no funds move</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>临时基本养老保险缴费账户：养老保险关系不转移</source>
        <translation>Temporary contribution account: the relationship does not move</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转移：养老保险关系和资金一并转移</source>
        <translation>Transfer: the relationship and its funds move together</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{place} {years} 年</source>
        <translation>{place} {years} years</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{places}（按省计算，含视同缴费年限和1998年前缴费年限，人社部规〔2016〕5号）</source>
        <translation>{places} (by province, deemed years and years before 1998 included, 人社部规〔2016〕5号)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>正在出具联系函…</source>
        <translation>Issuing the contact letter…</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>正在办理登记变更…</source>
        <translation>Changing the registration…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>养老保险关系转移</source>
        <translation>Pension transfer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>转入本地：本机构为转入地，申请转入(&amp;I)</source>
        <translation>Moving &amp;in: this office is the new one, request the transfer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转出本地：本机构为转出地，测算转出(&amp;O)</source>
        <translation>Moving &amp;out: this office is the old one, plan the transfer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>转出地(&amp;R)</source>
        <translation>F&amp;rom region</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>转入地(&amp;R)</source>
        <translation>To &amp;region</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>个人账户</source>
        <translation>Individual account</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统筹基金</source>
        <translation>Pooling fund</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>计算月数</source>
        <translation>Months counted</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>临时缴费账户</source>
        <translation>Temporary account</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待遇领取地</source>
        <translation>Pension paid by</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>申请转入（联系函上的本机构收款信息）</source>
        <translation>Request the transfer (this office&apos;s account, for the contact letter)</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>开户名称(&amp;N)</source>
        <translation>Account &amp;name</translation>
    </message>
    <message>
        <location line="-258"/>
        <source>不能申请转入：{reason}</source>
        <translation>Cannot request the transfer in: {reason}</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>选择地区（或输入6位行政区划代码）后显示测算结果。</source>
        <translation>Choose a region (or type its 6-digit code) to see the estimate.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{months} 个月（本机构所知的在转出地所在省份的参保月数，含视同缴费和1998年前缴费）</source>
        <translation>{months} months (known here in the old region&apos;s province, deemed months and months before 1998 included)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>选择地区（或输入6位行政区划代码）后显示。</source>
        <translation>Choose a region (or type its 6-digit code) to see it.</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>正在建立临时缴费账户…</source>
        <translation>Opening the temporary account…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>转移测算(&amp;C)</source>
        <translation>&amp;What would move</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建账前历史(&amp;H)…</source>
        <translation>&amp;History before the record…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>录入视同缴费年限和1998年前缴费（审核主管）</source>
        <translation>Enter deemed years and months paid before 1998 (supervisors)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办理方式</source>
        <translation>Handled as</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>各地累计年限</source>
        <translation>Years by place</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>暂不转移</source>
        <translation>Held back</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>开户银行(&amp;B)</source>
        <translation>&amp;Bank</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>银行账号(&amp;A)</source>
        <translation>Bank &amp;account</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>地址(&amp;D)</source>
        <translation>A&amp;ddress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>联系电话(&amp;P)</source>
        <translation>&amp;Phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>空白时为本机构名称</source>
        <translation>blank: the office&apos;s name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>纸质办理（联系函邮寄转出地，不经同步文件）(&amp;Z)</source>
        <translation>On paper: the letter goes by pos&amp;t, not in a sync file</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>统筹单位内登记变更（不出具联系函，资金不转移）</source>
        <translation>Registration change inside the pooling unit (no contact letter, no funds)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>办理登记变更(&amp;S)</source>
        <translation>&amp;Submit the registration change</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>建立临时基本养老保险缴费账户（养老保险关系不转移，不出具联系函）</source>
        <translation>Open a temporary pension contribution account (the relationship does not move, no contact letter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>建立临时缴费账户(&amp;S)</source>
        <translation>Open the temporary account (&amp;S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>申请转入并出具联系函(&amp;S)</source>
        <translation>&amp;Submit the request and issue the letter</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>TransferListDialog</name>
    <message>
        <location filename="../../desktop/ui/transfer_list_dialog.py" line="+123"/>
        <source>共 {count} 件，其中超期 {overdue} 件</source>
        <translation>Cases: {count}, overdue: {overdue}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>请选择一件转移业务。</source>
        <translation>Select a case.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>没有转移业务。</source>
        <translation>No transfer cases.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>纸质</source>
        <translation>on paper</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>同步文件</source>
        <translation>sync files</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name}&#x3000;{worker}&#x3000;申请日期 {applied}&#x3000;办理方式：{channel}</source>
        <translation>{name}   {worker}   applied {applied}   channel: {channel}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>个人账户 {account} 元&#x3000;统筹基金 {pooling} 元&#x3000;合计 {total} 元</source>
        <translation>individual account {account}   pooling fund {pooling}   total {total} yuan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已到账 {amount} 元</source>
        <translation>received {amount} yuan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>下一步：本机构转出办理，出具参保缴费信息表。</source>
        <translation>Next: this office settles the case and issues the information table.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>下一步：资金到账后本机构确认到账。</source>
        <translation>Next: this office confirms the money once it has arrived.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>等待对方经办机构办理。</source>
        <translation>Waiting for the other office.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>正在出具参保缴费信息表…</source>
        <translation>Issuing the information table…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>记账利率未录入</source>
        <translation>Crediting rate not entered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{years} 年的记账利率尚未录入，个人账户将不计该年利息转出，信息表上会注明。
仅在利率尚未公布、参保人不能等待时这样办理。确认转出吗？</source>
        <translation>The crediting rate of {years} is not entered: the individual account will move without that year&apos;s interest, and the information table will say so.
Do this only when the rate is not published yet and the person cannot wait. Settle the transfer?</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>已转出办理 {case}，信息表 {number}，转移总额 {total} 元</source>
        <translation>Settled {case}: information table {number}, total {total} yuan</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>已确认到账 {amount} 元，转移业务 {case} 已办结</source>
        <translation>Received {amount} yuan: case {case} is done</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>转入</source>
        <translation>In</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>转出</source>
        <translation>Out</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{month}月</source>
        <translation>Month {month}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>全年</source>
        <translation>Whole year</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{year}年没有转入或转出的转移业务。</source>
        <translation>No transfers in or out in {year}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>转入按确认到账日期、转出按转出办理日期统计；“其中农民工”为农村户籍人员。</source>
        <translation>Transfers in count on the day the money was confirmed, transfers out on the day they were settled; &quot;of whom rural&quot; counts people with a rural hukou (migrant workers).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>转移业务统计{year}</source>
        <translation>transfers-{year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出统计</source>
        <translation>Save the report</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>正在导出统计…</source>
        <translation>Saving the report…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>无法写入文件：{reason}</source>
        <translation>Cannot write the file: {reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>已导出：{path}</source>
        <translation>Saved: {path}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>转移业务工作清单</source>
        <translation>Transfer work list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>工作清单(&amp;W)</source>
        <translation>&amp;Work list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年度统计(&amp;T)</source>
        <translation>Yearly repor&amp;t</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>显示(&amp;V)：</source>
        <translation>&amp;Show:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>待本机构办理</source>
        <translation>To do here</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>转出办理(&amp;O)</source>
        <translation>Settle (money &amp;out)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机构为转出地：出具参保缴费信息表，转出资金</source>
        <translation>This office is the old one: issue the information table and send the money</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>确认到账(&amp;R)</source>
        <translation>Confirm money &amp;received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本机构为转入地：核对到账金额，办结转移</source>
        <translation>This office is the new one: check the amount received and close the case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>刷新(&amp;F)</source>
        <translation>Re&amp;fresh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年度(&amp;Y)：</source>
        <translation>&amp;Year:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>方向</source>
        <translation>Direction</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>其中农民工</source>
        <translation>Of whom rural</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>个人账户</source>
        <translation>Individual account</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>统筹基金</source>
        <translation>Pooling fund</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>合计金额</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出CSV(&amp;C)…</source>
        <translation>Save &amp;CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>导出PDF(&amp;P)…</source>
        <translation>Save &amp;PDF…</translation>
    </message>
</context>
<context>
    <name>ViewsModel</name>
    <message>
        <location filename="../../desktop/ui/audit_dialog.py" line="+19"/>
        <source>查看</source>
        <translation>viewed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>打印</source>
        <translation>printed</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>导出</source>
        <translation>exported</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>窗口</source>
        <translation>Counter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>参保人</source>
        <translation>Person</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>方式</source>
        <translation>How</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>内容</source>
        <translation>What</translation>
    </message>
</context>
<context>
    <name>files</name>
    <message>
        <location filename="../../desktop/ui/files.py" line="+66"/>
        <source>文件夹</source>
        <translation>Folder</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{suffix} 文件</source>
        <translation>{suffix} file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>不能使用此文件夹</source>
        <translation>This folder cannot be used</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{path} 是数据库所在的文件夹，只存放数据库本身。请选择其他文件夹。</source>
        <translation>{path} is the database&apos;s folder, which holds the database alone. Choose another folder.</translation>
    </message>
</context>
</TS>
