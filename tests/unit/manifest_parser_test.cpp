// ParseComponents on TypeScript fixtures, including the inputs a text search
// would get wrong.
#include <gtest/gtest.h>

#include <random>

#include "manifest/component_parser.h"

namespace nga::manifest {
namespace {

// "Class selector templateUrl" per component; "-" for an absent field.
std::vector<std::string> Describe(std::string_view source) {
  std::vector<std::string> out;
  for (const auto& c : ParseComponents(source)) {
    out.push_back(c.class_name + " " + c.selector.value_or("-") + " " +
                  c.template_url.value_or("-"));
  }
  return out;
}

using Found = std::vector<std::string>;

TEST(ManifestParser, PlainComponent) {
  EXPECT_EQ(Describe(R"ts(
import { Component } from '@angular/core';

@Component({
  selector: 'app-root',
  templateUrl: './app.component.html',
  styleUrls: ['./app.component.css'],
})
export class AppComponent {
  title = 'demo';
}
)ts"),
            Found{"AppComponent app-root ./app.component.html"});
}

TEST(ManifestParser, NoComponentNoWork) {
  EXPECT_TRUE(ParseComponents("export class Service {}\n").empty());
  EXPECT_TRUE(ParseComponents("").empty());
}

TEST(ManifestParser, DecoratorInCommentsAndStringsIsIgnored) {
  EXPECT_EQ(Describe(R"ts(
// @Component({ selector: 'line-comment' }) class LineComment {}
/* @Component({ selector: 'block-comment' })
   class BlockComment {} */
const a = '@Component({ selector: "single" }) class Single {}';
const b = "@Component({ selector: 'double' }) class Double {}";
const c = `@Component({ selector: 'tpl' }) class Tpl {}`;
/** Docs mentioning @Component and class Nope. */
@Component({ selector: 'app-real' })
class Real {}
)ts"),
            Found{"Real app-real -"});
}

TEST(ManifestParser, BracesInsideStringsAndTemplatesInTheDecorator) {
  EXPECT_EQ(Describe(R"ts(
@Component({
  selector: 'app-braces',
  template: `
    <div *ngIf="x">{{ value }} }}} ) ${ '}' } ${ `nested ${ "{" } }` }</div>
  `,
  styles: ['.a { color: red; } /* } */', "b { }"],
  host: { '(click)': 'onClick($event)', '[class.x]': "y" },
})
export class BracesComponent {}
)ts"),
            Found{"BracesComponent app-braces -"});
}

TEST(ManifestParser, MultiLineArgumentsAndOtherProperties) {
  EXPECT_EQ(Describe(R"ts(
@Component(
  {
    standalone: true,
    imports: [CommonModule, RouterOutlet, forwardRef(() => Other)],
    changeDetection: ChangeDetectionStrategy.OnPush,
    providers: [{ provide: TOKEN, useFactory: () => ({ a: 1, b: [2, 3] }) }],
    templateUrl:
      "../shared/b.html",
    selector:
      'app-multi',
  }
)
export class MultiLine {}
)ts"),
            Found{"MultiLine app-multi ../shared/b.html"});
}

TEST(ManifestParser, TwoComponentsInOneFile) {
  EXPECT_EQ(Describe(R"ts(
@Component({ selector: 'app-a', templateUrl: './a.html' })
export class A {}

function helper() { return 1; }

@Component({ selector: 'app-b', template: '<p>b</p>' })
export class B extends A {}
)ts"),
            (Found{"A app-a ./a.html", "B app-b -"}));
}

TEST(ManifestParser, NoSelector) {
  EXPECT_EQ(Describe("@Component({ templateUrl: './page.html' })\nexport class Page {}\n"),
            Found{"Page - ./page.html"});
  EXPECT_EQ(Describe("@Component({})\nclass Empty {}\n"), Found{"Empty - -"});
}

TEST(ManifestParser, ClassForms) {
  EXPECT_EQ(Describe(R"ts(
@Component({ selector: 'a' }) export default class DefaultOne {}
@Component({ selector: 'b' }) export abstract class AbstractOne {}
@Component({ selector: 'c' }) export class Generic<T extends object = {}> implements OnInit {}
@Component({ selector: 'd' })
@Injectable()
@SomeDecorator
@ns.Other({ deep: { x: [1, 2] } })
export class Decorated {}
@Component({ selector: 'e' }) export default class {}
@Component({ selector: 'f' }) class NotExported {}
)ts"),
            (Found{"DefaultOne a -", "AbstractOne b -", "Generic c -", "Decorated d -",
                   "NotExported f -"}));
}

TEST(ManifestParser, DoubleQuotesAndEscapes) {
  EXPECT_EQ(
      Describe(R"ts(@Component({ "selector": "app-x[data-q=\"1\"]", 'templateUrl': `./x.html` })
class X {})ts"),
      Found{R"(X app-x[data-q="1"] ./x.html)"});
}

TEST(ManifestParser, ComputedValuesAreNotTaken) {
  EXPECT_EQ(Describe(R"ts(
const prefix = 'app';
@Component({ selector: `${prefix}-dyn`, templateUrl: base + '.html' })
class Dynamic {}
)ts"),
            Found{"Dynamic - -"});
}

TEST(ManifestParser, RegexLiteralsDoNotConfuseTheTokenizer) {
  EXPECT_EQ(Describe(R"ts(
const quote = /['"`]/g;
const brace = /\}[{(]/;
const cls = /[/'"]+/;
const half = total / 2 / count; // division, not a regex: '
@Component({ selector: 'app-after-regex' })
class AfterRegex {
  test(s: string) { return /@Component\(/.test(s); }
}
)ts"),
            Found{"AfterRegex app-after-regex -"});
}

TEST(ManifestParser, DecoratorWithoutObjectOrWithoutClass) {
  EXPECT_EQ(Describe(R"ts(
@Component(config)
class FromConfig {}
@Component({ selector: 'dangling' })
const notAClass = 1;
@Component({ selector: 'unterminated'
)ts"),
            Found{"FromConfig - -"});
}

TEST(ManifestParser, DottedDecoratorName) {
  EXPECT_EQ(Describe("import * as ng from '@angular/core';\n// @Component via namespace\n"
                     "@ng.Component({ selector: 'app-ns' }) class Ns {}\n"),
            Found{"Ns app-ns -"});
}

TEST(ManifestParser, UnterminatedInputNeverHangsOrCrashes) {
  const char* inputs[] = {"@Component({ selector: 'x",
                          "@Component({ template: `${ {{{",
                          "@Component(/* never closed",
                          "@Component({ a: /re",
                          "@",
                          "@Component",
                          "@Component({ selector: 'a' }) export"};
  for (const char* input : inputs) {
    EXPECT_NO_THROW(ParseComponents(input)) << input;
  }
}

// Random soups of the characters that drive the tokenizer (fixed seed):
// every input must end without crashing, and a class found must be named.
TEST(ManifestParser, RandomInputsNeverCrash) {
  const std::vector<std::string> pieces = {
      "@Component", "(",           ")",       "{",        "}",  "[",  "]",  "'",  "\"",      "`",
      "${",         "/",           "*",       "\\",       "\n", " ",  ":",  ",",  "class ",  "X",
      "selector",   "templateUrl", "export ", "default ", "@",  "//", "/*", "*/", "return ", "a"};
  std::mt19937 random(20261126);
  for (int i = 0; i < 3000; ++i) {
    std::string input;
    int length = std::uniform_int_distribution<int>(0, 60)(random);
    for (int j = 0; j < length; ++j) {
      input += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
    }
    for (const auto& component : ParseComponents(input)) {
      EXPECT_FALSE(component.class_name.empty()) << input;
    }
  }
}

}  // namespace
}  // namespace nga::manifest
