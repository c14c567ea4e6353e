"""The command line's help in two languages.

Help texts are (zh, en) pairs, like the MESSAGES table: a command module passes the pair as `help=` to
`add_argument` and `add_parser`, and the parser built for the chosen language keeps one of the two
(`parser_class(lang)`). A command's pair is both its line in its group's list and the description on
its own help page. Help is chosen when the parser is built; `build_parser(lang)` builds one for the
language of the run (`--lang`, Chinese by default).

argparse's own words ("usage:", "options", "the following arguments are required: %s", ...) are looked
up through argparse's module-level gettext function `_` when they are used. A Chinese parser puts a
small table of its own in its place while it builds, parses or formats help (`argparse_words`), and
restores the original afterwards, so other uses of argparse in the same program are not affected
(except one running at the same moment in another thread).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

from desktop.core.pension_record import KIND_NAMES
from desktop.core.strict import SHOWN

Pair = tuple[str, str]


def zh_en(zh: str, en: str) -> Pair:
    """A help text in Chinese and in English."""
    return zh, en


# argparse's words (Python 3.11 and later) in Chinese; a word not here stays as argparse has it.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 须给出其中一个",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值：%(value)r（可选：%(choices)s）",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}

# Help texts several commands share.
WORKER: Pair = zh_en("参保人：身份证号码、护照号码或社会保障号码",
                     "the person: ID number, passport number or social security number")
EMPLOYER: Pair = zh_en("用人单位的统一社会信用代码", "the employer's unified social credit code")
REGION: Pair = zh_en("6位行政区划代码", "a 6-digit region code")
MONTH: Pair = zh_en("所属期，YYYY-MM", "the month, YYYY-MM")
FROM_MONTH: Pair = zh_en("起始月份，YYYY-MM", "first month, YYYY-MM")
TO_MONTH: Pair = zh_en("截止月份，YYYY-MM", "last month, YYYY-MM")
FROM_DATE: Pair = zh_en("起始日期，YYYY-MM-DD", "first day, YYYY-MM-DD")
TO_DATE: Pair = zh_en("截止日期，YYYY-MM-DD", "last day, YYYY-MM-DD")
ON_DATE: Pair = zh_en("日期，YYYY-MM-DD（默认：今天）", "the day, YYYY-MM-DD (default: today)")
YEAR: Pair = zh_en("年度，YYYY", "the year, YYYY")
REASON: Pair = zh_en("原因", "the reason")
OUT_PDF: Pair = zh_en("PDF 保存到此文件", "save the PDF to this file")
COUNTRY: Pair = zh_en("国家：ISO 3166 两位字母代码（如 DE）", "country: ISO 3166 two-letter code (e.g. DE)")
PREVIEW: Pair = zh_en("只计算，不写入", "compute only, write nothing")
CASE: Pair = zh_en("转移业务编号", "the transfer case number")
NAME: Pair = zh_en("账号名", "the account name")

COMMANDS: Pair = zh_en("命令", "commands")
COMMAND: Pair = zh_en("命令", "COMMAND")
HELP_FOR_COMMAND: Pair = zh_en("要执行的命令（见下）", "the command to run (see below)")


def _zh(text: str | None) -> str | None:
    return ARGPARSE_ZH.get(text, text) if text is not None else None


def _zh_n(singular: str, plural: str, n: int) -> str:
    text = singular if n == 1 else plural
    return ARGPARSE_ZH.get(text, text)


@contextmanager
def argparse_words(lang: str) -> Iterator[None]:
    """argparse's own words in `lang` inside the block (its originals again after it)."""
    if lang != "zh":
        yield
        return
    module = vars(argparse)
    saved = module["_"], module["ngettext"]
    module["_"], module["ngettext"] = _zh, _zh_n
    try:
        yield
    finally:
        module["_"], module["ngettext"] = saved


def pick(text: Pair | str | None, lang: str) -> str | None:
    """The text of a (zh, en) pair in `lang` (a plain text or None as it is)."""
    if isinstance(text, tuple):
        return text[0] if lang == "zh" else text[1]
    return text


if TYPE_CHECKING:
    _CommandsBase = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    _CommandsBase = argparse._SubParsersAction


class _Commands(_CommandsBase):
    """A group's commands: `add_parser(name, help=(zh, en))` gives the command its list line and its
    description in the parser's language."""

    lang = "zh"

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        text = pick(kwargs.pop("help", None), self.lang)
        kwargs["description"] = pick(kwargs.get("description"), self.lang) or text
        return super().add_parser(name, help=text, **kwargs)


class Parser(argparse.ArgumentParser):
    """An argument parser whose help and argparse words are in `lang`; its sub-parsers are too."""

    lang = "zh"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for key in ("description", "epilog"):
            kwargs[key] = pick(kwargs.get(key), self.lang)
        with argparse_words(self.lang):
            super().__init__(*args, **kwargs)
        commands = type(f"{type(self).__name__}Commands", (_Commands,), {"lang": self.lang})
        self.register("action", "parsers", commands)

    def text(self, text: Pair | str | None) -> str | None:
        """A (zh, en) pair in this parser's language: for help given to argparse directly (e.g. to an
        argument in a mutually exclusive group)."""
        return pick(text, self.lang)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if kwargs.get("action") == "version" and "help" not in kwargs:
            kwargs["help"] = zh_en("显示版本号并退出", "show the version and exit")
        if "help" in kwargs:
            kwargs["help"] = pick(kwargs["help"], self.lang)
        with argparse_words(self.lang):
            return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("title", COMMANDS)
        kwargs.setdefault("metavar", COMMAND)
        kwargs.setdefault("help", HELP_FOR_COMMAND)
        for key in ("title", "description", "metavar", "help"):
            if key in kwargs:
                kwargs[key] = pick(kwargs[key], self.lang)
        with argparse_words(self.lang):
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with argparse_words(self.lang):
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with argparse_words(self.lang):
            return super().format_usage()

    def format_help(self) -> str:
        with argparse_words(self.lang):
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        # a value argparse repeats (an unknown option's argument, a bad choice) is cut like the
        # values in the program's own messages
        message = _LONG_WORD.sub(lambda m: m.group(0)[:SHOWN] + "…", message)
        with argparse_words(self.lang):
            super().error(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        with argparse_words(self.lang):
            super().exit(status, message)


_LONG_WORD = re.compile(rf"\S{{{SHOWN + 1},}}")


_PARSERS: dict[str, type[Parser]] = {
    lang: type(f"Parser_{lang}", (Parser,), {"lang": lang}) for lang in ("zh", "en")}


def parser_class(lang: str) -> type[Parser]:
    """The parser class for `lang` ("zh" or "en"; anything else is Chinese)."""
    return _PARSERS.get(lang, _PARSERS["zh"])


# Labels of the keys of command results in text output (`desktop.cli.output.human`), (zh, en). A key is
# looked up as "parent.key" first (parent: the key of the dict or list it stands in), then as "key", then
# in desktop.core.messages.FIELDS (the labels of input fields), then as a scheme id.
RESULT_LABELS: dict[str, Pair] = {
    # people, employers, offices
    "ssn": zh_en("社会保障号码", "social security number"),
    "worker.name": zh_en("姓名", "name"),
    "employer.name": zh_en("单位名称", "employer name"),
    "office.name": zh_en("机构名称", "office name"),
    "trusted.name": zh_en("机构名称", "office name"),
    "offices.name": zh_en("机构名称", "office name"),
    "agreement.name": zh_en("协定名称", "agreement name"),
    "agreements.name": zh_en("协定名称", "agreement name"),
    "scenarios.name": zh_en("情形", "scenario"),
    "kinds.name": zh_en("名称", "name"),
    "kinds.kind": zh_en("种类", "kind"),
    "kinds.count": zh_en("条数", "count"),
    "region": zh_en("地区", "region"),
    "region_name": zh_en("地区名称", "region name"),
    "fingerprint": zh_en("公钥指纹", "key fingerprint"),
    "code": zh_en("代码", "code"),
    "office": zh_en("经办机构", "office"),
    "trusted": zh_en("已信任的机构", "trusted office"),
    "admin": zh_en("管理员", "administrator"),
    "employer": zh_en("单位", "employer"),
    "workers": zh_en("参保人员", "people"),
    "enrolments": zh_en("参保险种", "enrolments"),
    "enrolment": zh_en("参保登记", "enrolment"),
    "employer_name": zh_en("单位名称", "employer name"),
    "start": zh_en("参保起始月份", "start month"),
    "regions": zh_en("参保地", "regions"),
    "retirement_group": zh_en("退休年龄类别", "retirement group"),
    "person": zh_en("参保人", "person"),
    "people": zh_en("人员", "people"),
    "people_count": zh_en("人数", "people"),
    # contributions
    "lines": zh_en("明细", "lines"),
    "lines.employer": zh_en("单位缴费", "employer"),
    "lines.employee": zh_en("个人缴费", "employee"),
    "lines.individual_account": zh_en("记入个人账户", "to individual account"),
    "lines.pooling": zh_en("记入统筹基金", "to pooling fund"),
    "lines.exempt": zh_en("免缴依据", "exempted by"),
    "lines.direction": zh_en("方向", "direction"),
    "lines.people": zh_en("人数", "people"),
    "lines.rural_migrant_workers": zh_en("其中农民工", "rural migrant workers"),
    "floor": zh_en("基数下限", "base floor"),
    "ceiling": zh_en("基数上限", "base ceiling"),
    "kind": zh_en("种类", "kind"),
    "status": zh_en("状态", "status"),
    "recorded": zh_en("已记录", "recorded"),
    "already_recorded": zh_en("此前已记录", "already recorded"),
    "rows": zh_en("行数", "rows"),
    "months": zh_en("月数", "months"),
    "months_paid": zh_en("缴费月数", "months paid"),
    "months_in_arrears": zh_en("欠费月数", "months in arrears"),
    "first_month": zh_en("起始月份", "first month"),
    "last_month": zh_en("截止月份", "last month"),
    "from": zh_en("起始", "from"),
    "to": zh_en("截止", "to"),
    "first": zh_en("起始", "first"),
    "last": zh_en("截止", "last"),
    "employee": zh_en("个人", "employee"),
    "account": zh_en("个人账户", "individual account"),
    "exempt": zh_en("免缴依据", "exempted by"),
    # account statement, pension
    "schemes": zh_en("险种", "schemes"),
    "earlier": zh_en("建账前历史", "earlier entries"),
    "individual_account_balance": zh_en("个人账户余额", "individual account balance"),
    "interest_complete": zh_en("利息已全部计算", "interest complete"),
    "years": zh_en("年度", "years"),
    "years.interest": zh_en("利息", "interest"),
    "years.months": zh_en("月数", "months"),
    "years.personal": zh_en("个人缴费", "personal"),
    "base_total": zh_en("缴费基数合计", "base total"),
    "opening": zh_en("年初余额", "opening balance"),
    "resident": zh_en("居民保险", "residents' schemes"),
    "personal": zh_en("个人缴费", "personal"),
    "subsidy": zh_en("政府补贴", "subsidy"),
    "individual_account": zh_en("个人账户", "individual account"),
    "pooling_fund": zh_en("统筹基金", "pooling fund"),
    "total": zh_en("合计", "total"),
    "months_counted": zh_en("累计缴费月数", "months counted"),
    "temporary_account": zh_en("临时缴费账户", "temporary account"),
    "temporary_rule": zh_en("临时账户依据", "temporary account rule"),
    "payment_place": zh_en("养老金领取地", "pension place"),
    "pension_place": zh_en("养老金领取地", "pension place"),
    "rule": zh_en("依据", "rule"),
    "years_without_interest": zh_en("未计息年度", "years without interest"),
    "funds_move": zh_en("转移资金", "funds move"),
    "received": zh_en("已接收", "received"),
    "place_years": zh_en("各地缴费年限", "years by place"),
    "held_back": zh_en("暂不转移的补缴", "held-back back payments"),
    "notify_by": zh_en("告知期限", "notify by"),
    "source": zh_en("来源", "source"),
    "pooling_unit": zh_en("统筹单位", "pooling unit"),
    "places": zh_en("各地记录", "places"),
    "place": zh_en("地方", "place"),
    "by_kind": zh_en("按种类", "by kind"),
    "last_region": zh_en("最后参保地", "last region"),
    "retirement_date": zh_en("退休日期", "retirement date"),
    "retirement_age_months": zh_en("退休年龄（月）", "retirement age (months)"),
    "retirement_age": zh_en("退休年龄", "retirement age"),
    "earliest_date": zh_en("最早可退休日期", "earliest date"),
    "latest_date": zh_en("最晚可退休日期", "latest date"),
    "minimum_months": zh_en("最低缴费月数", "minimum months"),
    "missing_months": zh_en("尚缺月数", "missing months"),
    "reached": zh_en("已到法定退休日", "statutory day reached"),
    "extended_monthly": zh_en("延长缴费每月金额", "extended payment a month"),
    "extended_cost": zh_en("延长缴费总额", "extended payment in all"),
    "extended_basis": zh_en("延长缴费计算依据", "extended payment basis"),
    "calc_base": zh_en("计发基数", "calculation base"),
    "calc_base_year": zh_en("计发基数年度", "calculation base year"),
    "calc_base_projected": zh_en("计发基数为推算", "calculation base projected"),
    "average_index": zh_en("平均缴费指数", "average contribution index"),
    "indexed_wage": zh_en("指数化月平均缴费工资", "indexed average wage"),
    "basic": zh_en("基础养老金", "basic pension"),
    "account_balance": zh_en("个人账户储存额", "account balance"),
    "account_balance_now": zh_en("当前个人账户储存额", "account balance now"),
    "divisor": zh_en("计发月数", "divisor"),
    "divisor_source": zh_en("计发月数来源", "divisor source"),
    "account_pension": zh_en("个人账户养老金", "account pension"),
    "transitional_months": zh_en("过渡性养老金计算月数", "transitional months"),
    "transitional": zh_en("过渡性养老金", "transitional pension"),
    "assumptions": zh_en("测算假设", "assumptions"),
    "notes": zh_en("说明", "notes"),
    "scenarios": zh_en("不同情形", "scenarios"),
    "label": zh_en("说明", "label"),
    "qualifies": zh_en("符合领取条件", "qualifies"),
    "monthly_contribution": zh_en("每月缴费", "monthly contribution"),
    "place_region": zh_en("领取地", "pension place"),
    "place_rule": zh_en("领取地依据", "pension place rule"),
    "balance_path": zh_en("各年账户余额", "balance by year"),
    "record_months": zh_en("已记录月数", "months recorded"),
    "projected_months": zh_en("推算月数", "months projected"),
    "age_months": zh_en("年龄（月）", "age (months)"),
    "first_bad": zh_en("第一条有问题的记录", "first bad entry"),
    "decided_on": zh_en("核定日期", "decided on"),
    "decided_by": zh_en("核定人", "decided by"),
    "province": zh_en("省份", "province"),
    "provincial_from": zh_en("省级统筹起始日", "provincial pooling from"),
    "pre1998": zh_en("1998年前", "before 1998"),
    "direction": zh_en("方向", "direction"),
    "allowed": zh_en("可以办理", "allowed"),
    "refusal": zh_en("不予办理的原因", "refusal"),
    "employee_months": zh_en("职工缴费月数", "employee months"),
    "resident_years": zh_en("居民缴费年数", "resident years"),
    "overlap_months": zh_en("重复缴费月数", "overlapping months"),
    "counted_months": zh_en("合并计算月数", "months counted"),
    "account_moved": zh_en("转移的个人账户", "account moved"),
    "refund": zh_en("应退金额", "refund"),
    "refunds": zh_en("退费", "refunds"),
    "notice": zh_en("告知书", "notice"),
    "residence_permit_holders": zh_en("居住证持有人可参加", "residence permit holders"),
    "insured_months": zh_en("缴费月数", "insured months"),
    "benefit_months": zh_en("可领取月数", "benefit months"),
    "claimed_on": zh_en("领取日期", "claimed on"),
    "since": zh_en("自", "since"),
    "meets_minimum": zh_en("达到最低年限", "meets the minimum"),
    "carried": zh_en("由外地转入", "carried"),
    "months_here": zh_en("本地月数", "months here"),
    "men_years": zh_en("男性年限", "men, years"),
    "women_years": zh_en("女性年限", "women, years"),
    "certificate_no": zh_en("证明编号", "certificate number"),
    "old_office_due": zh_en("转出地办理期限", "old office due"),
    # transfers
    "cases": zh_en("转移业务", "cases"),
    "status_name": zh_en("状态说明", "status"),
    "due": zh_en("办理期限", "due"),
    "due_estimated": zh_en("期限为估算", "due date estimated"),
    "overdue": zh_en("已逾期", "overdue"),
    "received_amount": zh_en("到账金额", "amount received"),
    "note": zh_en("备注", "note"),
    "relationship_region": zh_en("关系所在地", "relationship region"),
    "opened_on": zh_en("开设日期", "opened on"),
    "state": zh_en("状态", "state"),
    "sealed_on": zh_en("封存日期", "sealed on"),
    "sealed_to": zh_en("封存后转往", "sealed to"),
    "gathered_by": zh_en("归集机构", "gathered by"),
    "accounts": zh_en("临时缴费账户", "temporary accounts"),
    # documents, certificates, agreements
    "pdf": zh_en("PDF 文件", "PDF file"),
    "pages": zh_en("页数", "pages"),
    "verification_code": zh_en("验证码", "verification code"),
    "short_code": zh_en("简码", "short code"),
    "number": zh_en("编号", "number"),
    "copy": zh_en("副本", "copy"),
    "valid": zh_en("有效", "valid"),
    "issued_by": zh_en("出具机构", "issued by"),
    "issued_on": zh_en("出具日期", "issued on"),
    "date": zh_en("日期", "date"),
    "void": zh_en("已作废", "void"),
    "documents": zh_en("文书", "documents"),
    "prints": zh_en("打印次数", "prints"),
    "schemes_exempted": zh_en("免缴险种", "schemes exempted"),
    "valid_from": zh_en("有效期起", "valid from"),
    "valid_to": zh_en("有效期止", "valid to"),
    "extension": zh_en("延期", "extension"),
    "ended_on": zh_en("结束日期", "ended on"),
    "withdrawn": zh_en("已撤回", "withdrawn"),
    "self_employed": zh_en("自雇人员", "self-employed"),
    "employees": zh_en("受雇人员", "employees"),
    "certificates": zh_en("参保证明", "certificates"),
    "agreement": zh_en("协定", "agreement"),
    "agreements": zh_en("协定", "agreements"),
    "partner": zh_en("协定国", "partner"),
    "partner_en": zh_en("协定国（英文）", "partner (English)"),
    "in_force": zh_en("生效日期", "in force"),
    "partner_schemes": zh_en("对方免缴险种", "partner schemes"),
    "first_posting_months": zh_en("首次派遣最长月数", "first posting months"),
    "extendable": zh_en("可延期", "extendable"),
    "max_total_months": zh_en("最长合计月数", "max total months"),
    "family": zh_en("随行家属", "family"),
    "certificate_partner": zh_en("对方证明名称", "partner's certificate"),
    "checked": zh_en("核对日期", "checked"),
    "disputed": zh_en("有争议的项目", "disputed"),
    "corrections": zh_en("更正记录", "corrections"),
    "by": zh_en("更正人", "by"),
    "at": zh_en("时间", "at"),
    "csv": zh_en("CSV 文件", "CSV file"),
    "forms": zh_en("表单", "forms"),
    # accounts, audit, approvals, backups
    "users": zh_en("账号", "accounts"),
    "active": zh_en("已启用", "active"),
    "must_change": zh_en("须修改密码", "must change password"),
    "locked_until": zh_en("锁定至", "locked until"),
    "last_sign_in": zh_en("最近登录", "last sign-in"),
    "entries": zh_en("审计记录", "entries"),
    "rows_checked": zh_en("核对的业务数据行", "ledger rows checked"),
    "rows_not_provable": zh_en("无法证明的行（旧版批量导入）", "rows not provable (old bulk imports)"),
    "rows_differing": zh_en("与审计记录不符的行", "rows differing from the trail"),
    "row_problems": zh_en("不符的行", "rows that differ"),
    "row_problems.row": zh_en("行号", "row"),
    "row_problems.field": zh_en("字段", "field"),
    "problem": zh_en("问题", "problem"),
    "heads_checked": zh_en("核对的外部链头（同步伙伴、备份）", "heads checked (peers, backups)"),
    "backups_checked": zh_en("核对的备份", "backups checked"),
    "backups_unchecked": zh_en("无法核对的备份", "backups not checked"),
    "peers_gone_back": zh_en("审计记录倒退的同步机构（已从备份恢复或被替换，请核实）",
                             "offices whose trail went back (restored or replaced: ask them)"),
    "seq_before": zh_en("先前见到的序号", "seq seen before"),
    "seq_after": zh_en("之后见到的序号", "seq seen after"),
    "head": zh_en("链尾", "chain head"),
    "seq": zh_en("序号", "sequence"),
    "hash": zh_en("哈希", "hash"),
    "actor": zh_en("操作账号", "account"),
    "counter": zh_en("窗口", "counter"),
    "action": zh_en("操作", "action"),
    "table": zh_en("数据表", "table"),
    "row_id": zh_en("行号", "row"),
    "before": zh_en("修改前", "before"),
    "after": zh_en("修改后", "after"),
    "requests": zh_en("申请", "requests"),
    "request": zh_en("申请", "request"),
    "summary": zh_en("内容", "summary"),
    "requested_by": zh_en("申请人", "requested by"),
    "requested_at": zh_en("申请时间", "requested at"),
    "decided_at": zh_en("处理时间", "decided at"),
    "request.decided_by": zh_en("处理人", "decided by"),
    "requests.decided_by": zh_en("处理人", "decided by"),
    "result": zh_en("结果", "result"),
    "message": zh_en("提示", "message"),
    "approval": zh_en("审批申请编号", "approval request"),
    "size": zh_en("大小（字节）", "size (bytes)"),
    "bytes": zh_en("大小（字节）", "size (bytes)"),
    "sha256": zh_en("SHA-256 校验值", "SHA-256"),
    "verified": zh_en("已校验", "verified"),
    "key_file": zh_en("密钥文件", "key file"),
    "key_fingerprint": zh_en("密钥指纹", "key fingerprint"),
    "key_created": zh_en("本次新建密钥", "key made now"),
    "key_ok": zh_en("密钥匹配", "key fits"),
    "removed": zh_en("已删除", "removed"),
    "restored": zh_en("已恢复", "restored"),
    "created": zh_en("创建时间", "created"),
    "schema": zh_en("数据结构版本", "schema"),
    "kept": zh_en("保留的副本", "copy kept"),
    # database check and recovery
    "ok": zh_en("正常", "ok"),
    "problems": zh_en("问题", "problems"),
    "damaged": zh_en("已损坏", "damaged"),
    "searched": zh_en("查找过的目录", "searched"),
    "backup": zh_en("备份", "backup"),
    "older_backups": zh_en("较早的备份", "older backups"),
    "sync_files": zh_en("同步文件", "sync files"),
    "import_records_readable": zh_en("导入记录可读", "import records readable"),
    "missing_files": zh_en("缺少的文件数", "missing files"),
    "lost": zh_en("将丢失", "lost"),
    "sent": zh_en("已发出", "sent"),
    "known": zh_en("可知", "known"),
    "unreadable": zh_en("无法读取", "unreadable"),
    "unnamed": zh_en("人员无法读取的修改", "changes whose person cannot be read"),
    "kinds": zh_en("按种类", "by kind"),
    "imported": zh_en("已导入", "imported"),
    "not_imported": zh_en("未导入", "not imported"),
    "not_signed_in": zh_en("未登录", "not signed in"),
    "own_missing": zh_en("本机构缺少的变更", "own changes missing"),
    "found": zh_en("已找到", "found"),
    "error": zh_en("错误", "error"),
    # sync
    "changes": zh_en("变更数", "changes"),
    "segments": zh_en("分段数", "segments"),
    "applied": zh_en("已应用", "applied"),
    "already_applied": zh_en("此前已应用", "already applied"),
    "conflicts": zh_en("冲突", "conflicts"),
    "held": zh_en("暂存", "held"),
    "sender": zh_en("发送机构", "sender"),
    "gaps": zh_en("缺少的变更", "gaps"),
    "origin": zh_en("来源机构", "origin"),
    "offices": zh_en("经办机构", "offices"),
    "applied_seq": zh_en("已应用至", "applied up to"),
    "last_import": zh_en("最近导入", "last import"),
    "last_export": zh_en("最近导出", "last export"),
    "can_receive": zh_en("可接收", "can receive"),
    "pending_changes": zh_en("待发送的变更", "pending changes"),
    "open_conflicts": zh_en("未复核的冲突", "open conflicts"),
    "conflicts.key": zh_en("记录键", "row key"),
    "conflict.key": zh_en("记录键", "row key"),
    "winner": zh_en("胜出方", "winner"),
    "loser": zh_en("落选方", "loser"),
    "differences": zh_en("差异", "differences"),
    "detected_at": zh_en("发现时间", "detected at"),
    "reviewed_by": zh_en("复核人", "reviewed by"),
    "resolution": zh_en("处理结果", "resolution"),
    "duplicates": zh_en("重复缴费", "duplicates"),
    "count": zh_en("条数", "count"),
    # flexible workers, demo, residents
    "average_wage": zh_en("平均工资", "average wage"),
    "payments": zh_en("缴费", "payments"),
    "amount": zh_en("金额", "amount"),
    "employers": zh_en("用人单位数", "employers"),
    "months_recorded": zh_en("已记录月数", "months recorded"),
    **{f"by_kind.{kind}": names for kind, names in KIND_NAMES.items()},
    # employer declarations: the money due, the template
    "totals": zh_en("应缴金额（本次新记录月份）", "due for the months recorded now"),
    "template": zh_en("模板文件", "template file"),
    "columns": zh_en("列", "columns"),
    # idle sign-out (office idle)
    "idle_minutes": zh_en("无操作自动退出（分钟）", "idle sign-out (minutes)"),
    "idle_seconds": zh_en("无操作自动退出（秒）", "idle sign-out (seconds)"),
    # who viewed a person's record (audit views)
    "views": zh_en("查阅记录", "views"),
    "views.name": zh_en("姓名", "name"),
    "views.role": zh_en("角色", "role"),
    "what": zh_en("方式", "how"),
    "detail": zh_en("内容", "detail"),
    # the key store
    "key_store": zh_en("密钥库", "key store"),
    "key_store.folder": zh_en("位置", "folder"),
    "key_store.backend": zh_en("保护方式", "protection"),
    "key_store.unlocked": zh_en("已解锁", "unlocked"),
    "key_store.signing_key": zh_en("当前签名密钥", "current signing key"),
    "key_store.encryption_key": zh_en("当前加密密钥", "current encryption key"),
    "key_store.in_database": zh_en("数据库中仍有私钥", "private keys still in the database"),
    "key_store.stored": zh_en("库中的密钥", "keys kept"),
    "stored.key_id": zh_en("密钥编号", "key id"),
    "stored.purpose": zh_en("用途", "purpose"),
    "key_store.moved": zh_en("移入的密钥", "keys moved"),
    "key_store.scrubbed": zh_en("数据库文件已清理", "database file scrubbed"),
    "key_store.rotated_to": zh_en("换用的新签名密钥", "new signing key"),
    "key_store.revoked": zh_en("吊销的旧签名密钥（次日起）", "old signing key revoked (from the next day)"),
    "key_store.keys_reencrypted": zh_en("重新加密的密钥数", "keys encrypted again"),
    # key rotation and revocation (office keys rotate|revoke|history, verify)
    "rotated": zh_en("已轮换密钥", "keys rotated"),
    "previous": zh_en("原签名密钥", "previous signing key"),
    "signing_key": zh_en("新签名密钥", "new signing key"),
    "encryption_key": zh_en("新加密密钥", "new encryption key"),
    "revoked": zh_en("已吊销", "revoked"),
    "revoked_at": zh_en("吊销起始时间", "revoked from"),
    "signed_by": zh_en("公告签署密钥", "announcement signed by"),
    "keys": zh_en("密钥", "keys"),
    "key_id": zh_en("密钥编号", "key id"),
    "purpose": zh_en("用途", "purpose"),
    "retired_at": zh_en("停用时间", "retired at"),
    "current": zh_en("当前使用", "current"),
}

# Dicts whose keys are data (column names, kinds), shown as they are.
DATA_KEYED = frozenset({"before", "after", "result"})

WORDS: dict[str, Pair] = {
    "colon": zh_en("：", ": "),
    "yes": zh_en("是", "yes"),
    "no": zh_en("否", "no"),
    "none": zh_en("（无）", "(none)"),
    "list": zh_en("、", ", "),
}
